import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { LedgerService } from './ledger.service.js';
import { AccountFlowService } from './account-flow.service.js';
import { AccountFlowEntity } from './account-flow.entity.js';
import { AccountFlowRepository } from './account-flow.repository.js';
import { AccountRepository } from './account.repository.js';
import { TransferRepository } from './transfer.repository.js';
import { AccountEntity } from './account.entity.js';
import { TransferEntity } from './transfer.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([AccountEntity, TransferEntity, AccountFlowEntity])],
  providers: [
    AccountRepository,
    TransferRepository,
    AccountFlowRepository,
    LedgerService,
    AccountFlowService,
  ],
  exports: [LedgerService, AccountFlowService],
})
export class LedgerModule {}
