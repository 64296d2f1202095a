import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsUUID, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../../common/graphql/connection.js';
import { DateRange } from '../../../common/graphql/date-range.js';
import { AccountKind, TransferKind } from '../../ledger/ledger.enums.js';

@InputType()
export class LedgerAccountFilter {
  @Field(() => AccountKind, { nullable: true })
  @IsOptional()
  @IsEnum(AccountKind)
  kind?: AccountKind;
}

@ArgsType()
export class LedgerAccountsArgs extends ConnectionArgs {
  @Field(() => LedgerAccountFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LedgerAccountFilter)
  filter?: LedgerAccountFilter;
}

@InputType()
export class LedgerTransferFilter {
  @Field(() => TransferKind, { nullable: true })
  @IsOptional()
  @IsEnum(TransferKind)
  kind?: TransferKind;

  @Field(() => ID, { nullable: true, description: 'Into or out of this account.' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @Field(() => DateRange, { nullable: true, description: 'Transfers made on these days (UTC).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DateRange)
  madeIn?: DateRange;
}

@ArgsType()
export class LedgerTransfersArgs extends ConnectionArgs {
  @Field(() => LedgerTransferFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => LedgerTransferFilter)
  filter?: LedgerTransferFilter;
}
