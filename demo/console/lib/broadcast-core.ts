/**
 * The broadcast validators and template helpers the console needs from the protocol (issue 5).
 * They are not (yet) exported from the core entry, so this one file reaches into `src/protocol/`;
 * everything else of the console imports them from here.
 */
export {
  broadcastSettingsSchema,
  campaignInputSchema,
  customerProfilePatchSchema,
  segmentInputSchema,
  type CampaignInput,
} from '../../../src/protocol/feed-schemas.js';
export { AUDIENCE_LIMITS, attributeNameSchema, segmentRuleSchema, tagSchema, type SegmentCondition } from '../../../src/protocol/audience.js';
export { checkTemplate, type TemplateIssue } from '../../../src/protocol/template.js';
export type { SegmentRule } from '../../../src/protocol/audience.js';
