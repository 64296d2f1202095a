import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';

/** The one clock every module reads "now" from. */
@Global()
@Module({ providers: [Clock], exports: [Clock] })
export class ClockModule {}
