/**
 * The data source the TypeORM CLI loads (`typeorm -d dist/src/database/cli-data-source.js`).
 * `npm run migration:*` runs the CLI through `with-database.js`, which supplies DATABASE_URL,
 * starting the embedded PostgreSQL when none is configured.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set: run the CLI through `npm run migration:*`');

export default new DataSource(dataSourceOptions({ url, poolSize: 2, applicationName: 'mbd-cli' }));
