// The job types MarketHub enqueues, and what each does.
import type { JobHandlers } from '../worker.js';
import { generateReport } from './generate-report.js';
import { sendEmail } from './send-email.js';
import { sendNotification } from './send-notification.js';
import { updateInventory } from './update-inventory.js';

export { generateReport, sendEmail, sendNotification, updateInventory };
export type { SendEmailPayload } from './send-email.js';
export type { UpdateInventoryPayload } from './update-inventory.js';
export type { GenerateReportPayload } from './generate-report.js';
export type { SendNotificationPayload } from './send-notification.js';

export const JOB_TYPES = {
  sendEmail: 'send-email',
  updateInventory: 'update-inventory',
  generateReport: 'generate-report',
  sendNotification: 'send-notification',
} as const;

export function defaultHandlers(): JobHandlers {
  return {
    [JOB_TYPES.sendEmail]: sendEmail,
    [JOB_TYPES.updateInventory]: updateInventory,
    [JOB_TYPES.generateReport]: generateReport,
    [JOB_TYPES.sendNotification]: sendNotification,
  };
}
