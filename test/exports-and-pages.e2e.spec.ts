import { startTestApp, type TestApp } from './support/test-app.js';

describe('Exports and pages', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  const get = (path: string) => fetch(`${sut.url}${path}`);

  describe('the dashboard page', () => {
    it.each([
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'valueOf',
      'index.html.bak',
    ])('serves only its own files: /dashboard/%s is 404', async (name) => {
      const response = await get(`/dashboard/${name}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: 'NOT_FOUND', message: expect.any(String) },
      });
    });

    it.each(['app.js', 'style.css', 'chart.js'])('still serves /dashboard/%s', async (name) => {
      const response = await get(`/dashboard/${name}`);
      expect(response.status).toBe(200);
    });
  });
});
