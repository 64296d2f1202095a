import { TypeOrmModule } from '@nestjs/typeorm';
import { Module } from '@nestjs/common';
import { SkillResolver } from './skill.resolver.js';
import { SkillService } from './skill.service.js';
import { SkillEntity } from './skill.entity.js';

@Module({
  imports: [TypeOrmModule.forFeature([SkillEntity])],
  providers: [SkillService, SkillResolver],
  exports: [SkillService],
})
export class SkillModule {}
