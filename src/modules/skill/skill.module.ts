import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { SkillResolver } from './skill.resolver.js';
import { SkillRepository } from './skill.repository.js';
import { SkillService } from './skill.service.js';
import { SkillEntity } from './skill.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([SkillEntity])],
  providers: [SkillRepository, SkillService, SkillResolver],
  exports: [SkillService],
})
export class SkillModule {}
