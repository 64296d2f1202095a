import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app.js';

const TOKEN = randomBytes(32).toString('base64url');

describe('attacks on the performance and operations work (issue 16)', () => {
  describe('Prometheus metrics', () => {
    let sut: TestApp;
    const scrape = async (): Promise<string> => {
      const response = await fetch(`${sut.url}/metrics`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.status).toBe(200);
      return response.text();
    };

    beforeAll(async () => {
      sut = await startTestApp({ METRICS_TOKEN: TOKEN });
    });
    afterAll(() => sut.close());

    it('keeps no huge operation name a client chose as a label', async () => {
      // One GraphQL token however long: the document limits never see it. Kept as a label it
      // is held for the instance's life and written on every bucket line of every scrape.
      const name = `Huge${'x'.repeat(100_000)}`;
      const answer = await sut.gql(`query ${name} { __typename }`);
      expect(answer.errors).toBeUndefined();
      const text = await scrape();
      expect(text).not.toContain(name.slice(0, 1_000));
      expect(text.length).toBeLessThan(100_000);
    });
  });
});
