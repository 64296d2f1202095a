import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import { Clock } from '../../common/clock/clock.js';
import { BidService } from '../market/bid.service.js';
import { EngagementService } from '../market/engagement.service.js';
import { NeedService } from '../market/need.service.js';
import { addDays, weekStartOf } from '../market/timesheet-calendar.js';
import { TimesheetService } from '../market/timesheet.service.js';
import { DEMO_BIDS, DEMO_NEEDS, type DemoWork } from './demo-organisation.js';

const at = (day: string, hours: number): Date =>
  new Date(Date.parse(`${day}T00:00:00Z`) + hours * 3_600_000);

/**
 * The demo market: open needs, bids on them, and engagements whose weeks tell the review story
 * (a week the buyer approved, one paid when its review window passed, one waiting for review,
 * and a dispute). Past steps run at the time they would have happened (Clock.at), through the
 * same services as every request.
 */
@Injectable()
export class MarketSeedService {
  constructor(
    private readonly needs: NeedService,
    private readonly bids: BidService,
    private readonly engagements: EngagementService,
    private readonly timesheets: TimesheetService,
    private readonly clock: Clock,
  ) {}

  async seed(
    teamIds: Map<string, string>,
    actor: (email: string) => Promise<Actor>,
  ): Promise<void> {
    const needIds = new Map<string, string>();
    for (const need of DEMO_NEEDS) {
      const posted = await this.needs.post(
        {
          buyerTeamId: teamIds.get(need.buyer)!,
          title: need.title,
          description: need.description,
          hoursPerWeek: need.hoursPerWeek,
          weeks: need.weeks,
          ratePerHour: need.ratePerHour,
          requiredSkills: need.requiredSkills.map(([name, minLevel]) => ({ name, minLevel })),
        },
        await actor(need.postedBy),
      );
      needIds.set(need.key, posted.id);
    }
    for (const bid of DEMO_BIDS) {
      const bidder = await actor(bid.bidder);
      const placed = await this.bids.place(
        {
          needId: needIds.get(bid.need)!,
          hoursPerWeek: bid.hoursPerWeek,
          ratePerHour: bid.ratePerHour,
          message: bid.message,
          skills: bid.skills,
        },
        bidder,
      );
      if (!bid.work) continue;
      const need = DEMO_NEEDS.find((n) => n.key === bid.need)!;
      await this.work(placed.id, bid.work, await actor(need.postedBy), bidder);
    }
  }

  /** Accepts the bid `work.acceptedWeeksAgo` weeks ago, then logs and reviews week by week. */
  private async work(bidId: string, work: DemoWork, buyer: Actor, worker: Actor): Promise<void> {
    const now = this.clock.now();
    const thisWeek = weekStartOf(now);
    const firstWeek = addDays(thisWeek, -7 * work.acceptedWeeksAgo);
    // Accepted on the Monday of its first week (this Monday for this week: never in the future).
    const { engagement } = await this.clock.at(at(firstWeek, 9), () =>
      this.bids.accept({ bidId }, buyer),
    );
    for (const [index, hours] of work.weeklyHours.entries()) {
      const monday = addDays(firstWeek, 7 * index);
      const current = monday === thisWeek;
      // Past weeks are logged on their Friday; this week's hours on its Monday, logged now.
      const moment = current ? now : at(monday, 4 * 24 + 17);
      const day = current ? monday : addDays(monday, 4);
      const split = current && work.dispute ? [hours - 1, 1] : [hours];
      let last: { timesheetId: string; id: string } | undefined;
      for (const part of split.filter((h) => h > 0)) {
        const { timeLog } = await this.clock.at(moment, () =>
          this.engagements.logTime(
            { engagementId: engagement.id, hours: part, date: day, note: 'Demo work' },
            worker,
          ),
        );
        last = timeLog;
      }
      if (!last) continue;
      if (work.approvedWeeks.includes(index)) {
        // The buyer approves on the Monday after the week.
        const review = current ? now : at(monday, 7 * 24 + 10);
        await this.clock.at(review, () =>
          this.timesheets.approve({ timesheetId: last!.timesheetId }, buyer),
        );
      }
      if (current && work.dispute) {
        await this.timesheets.dispute(
          { timesheetId: last.timesheetId, timeLogIds: [last.id], reason: work.dispute },
          buyer,
        );
      }
    }
    // Weeks whose review window has passed are paid as the scheduled sweep would.
    await this.timesheets.sweep();
  }
}
