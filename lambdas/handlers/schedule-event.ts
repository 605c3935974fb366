import * as z from 'zod';

/** What EventBridge Scheduler (and the local scheduler) sends to a schedule's target. */
export const scheduleEventSchema = z.object({ schedule: z.enum(['daily', 'monthly']) });
export type ScheduleEvent = z.infer<typeof scheduleEventSchema>;

export const isHttpEvent = (event: unknown): event is { routeKey: string } =>
  typeof event === 'object' && event !== null && 'routeKey' in event;
