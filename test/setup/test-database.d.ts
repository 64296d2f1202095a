export interface TestDatabase {
  url: string;
  adminUrl: string;
  name: string;
}
export function freePort(): Promise<number>;
export function createTestDatabase(): Promise<TestDatabase>;
export function dropTestDatabase(database: TestDatabase): Promise<void>;
export function createSiblingDatabase(url: string): Promise<TestDatabase>;
export function dropSiblingDatabase(database: TestDatabase): Promise<void>;
