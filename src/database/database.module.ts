import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, type DatabaseOptions } from './data-source-options.js';
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
      providers: [Transactions],
      exports: [Transactions],
    };
  }
}
