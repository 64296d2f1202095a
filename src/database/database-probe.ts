import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Asks PostgreSQL whether it answers: the health check's one statement. */
@Injectable()
export class DatabaseProbe {
  constructor(private readonly dataSource: DataSource) {}

  /** Resolves when PostgreSQL answers a trivial statement on a pooled connection. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
