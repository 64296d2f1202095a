import { jest } from '@jest/globals';
import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { InputValidationPipe } from '../../src/common/validation/validation.pipe.js';
import { EmployeeSkillsArgs } from '../../src/modules/employee/dto/employees.args.js';
import { BidsArgs } from '../../src/modules/market/dto/needs.args.js';
import { PostNeedInput } from '../../src/modules/market/dto/post-need.input.js';

/**
 * How Nest hands GraphQL arguments to pipes: @nestjs/graphql's ARGS param type is 3, which
 * Nest's pipes consumer names 'body' (RouteParamtypes.BODY is 3 too). A whole @ArgsType object
 * has no `data`; a single argument (`@Args('input')`) is named by it.
 */
const argsOf = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'body',
  data: undefined,
  metatype,
});

describe('InputValidationPipe: what a list field accepted is remembered', () => {
  let pipe: InputValidationPipe;
  let validations: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    pipe = new InputValidationPipe();
    validations = jest.spyOn(ValidationPipe.prototype, 'transform');
  });
  afterEach(() => validations.mockRestore());

  it('validates the same arguments of a list field once, and hands out a fresh copy each time', async () => {
    const first = await pipe.transform({ first: 10 }, argsOf(BidsArgs));
    const again = await pipe.transform({ first: 10 }, argsOf(BidsArgs));
    expect(validations).toHaveBeenCalledTimes(1);
    expect(again).toBeInstanceOf(BidsArgs);
    expect(again).toEqual(first);
    expect(again).not.toBe(first);
    // Every employee's `skills(first:)` under a page of bids: the same.
    await pipe.transform({ first: 5 }, argsOf(EmployeeSkillsArgs));
    await pipe.transform({ first: 5 }, argsOf(EmployeeSkillsArgs));
    expect(validations).toHaveBeenCalledTimes(2);
  });

  it('still refuses arguments unlike any remembered, and remembers no refusal', async () => {
    await pipe.transform({ first: 10 }, argsOf(BidsArgs));
    for (let i = 0; i < 2; i++) {
      await expect(pipe.transform({ first: 1000 }, argsOf(BidsArgs))).rejects.toBeInstanceOf(
        DomainError,
      );
      await expect(
        pipe.transform({ first: 10, extra: true }, argsOf(BidsArgs)),
      ).rejects.toBeInstanceOf(DomainError);
    }
    expect(validations).toHaveBeenCalledTimes(5);
  });

  it('never remembers arguments holding objects (a filter), which a shallow copy would share', async () => {
    const { NeedsArgs } = await import('../../src/modules/market/dto/needs.args.js');
    const args = { first: 5, filter: { status: 'OPEN' } };
    const one = (await pipe.transform(args, argsOf(NeedsArgs))) as { filter: object };
    const two = (await pipe.transform(args, argsOf(NeedsArgs))) as { filter: object };
    expect(validations).toHaveBeenCalledTimes(2);
    expect(two.filter).not.toBe(one.filter);
  });

  it('never remembers a named argument (a mutation input) nor an untyped HTTP body', async () => {
    const input = {
      buyerTeamId: '00000000-0000-4000-8000-000000000001',
      title: 'Phones',
      description: '',
      hoursPerWeek: 2,
      weeks: 1,
      ratePerHour: 10,
      requiredSkills: [],
    };
    const named: ArgumentMetadata = { type: 'body', data: 'input', metatype: PostNeedInput };
    await pipe.transform(input, named);
    await pipe.transform(input, named);
    // A SCIM body (`@Body() body: unknown`), which may carry a password.
    const body = { userName: 'a', password: 'secret' };
    await pipe.transform(body, argsOf(Object));
    await pipe.transform(body, argsOf(Object));
    expect(validations).toHaveBeenCalledTimes(4);
  });
});
