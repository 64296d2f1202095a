import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { dataSourceOptions, type DatabaseOptions } from './data-source-options.js';
import { ReadDb } from './read-db.js';
import { ReadReplica } from './read-replica.js';
import { Transactions } from './transactions.js';

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      // Each domain module registers its own entities (TypeOrmModule.forFeature); migrations are
      // applied before the application starts (database/migrate.ts), never by the application.
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(options),
          entities: [],
          migrations: [],
          autoLoadEntities: true,
        }),
      ],
      providers: [
        Transactions,
        {
          // Null without DATABASE_READ_URL: ReadDb then reads from the primary's pool.
          provide: ReadReplica,
          inject: [DataSource],
          useFactory: (primary: DataSource) => {
            const replica = options.readReplica;
            if (!replica) return null;
            return new ReadReplica(
              {
                ...replica,
                poolSize: options.poolSize ?? 10,
                poolTimeoutMs: options.poolTimeoutMs ?? 5_000,
                applicationName: options.applicationName ?? 'market-based-dynamics',
              },
              primary,
            );
          },
        },
        ReadDb,
      ],
      exports: [Transactions, ReadDb, ReadReplica],
    };
  }
}
