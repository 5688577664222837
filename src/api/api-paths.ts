/** Typed URL helpers for the JSON API (`/api/v1`), as `paths.ts` is for the pages. */
import { route } from '../web/paths.ts';

export const apiPaths = {
  representations: route('/api/v1/representations'),
  representation: route('/api/v1/representations/:reference'),
  representationActions: route('/api/v1/representations/:reference/actions'),
  representationAction: route('/api/v1/representations/:reference/actions/:action'),
  representationStages: route('/api/v1/representations/:reference/stages'),
  representationStage: route('/api/v1/representations/:reference/stages/:step'),
  representationAttachment: route('/api/v1/representations/:reference/attachments/:attachmentId'),
  ombudsmanEnquiries: route('/api/v1/ombudsman-enquiries'),
  ombudsmanEnquiry: route('/api/v1/ombudsman-enquiries/:enquiryId'),
  ombudsmanInformationRequests: route('/api/v1/ombudsman-enquiries/:enquiryId/information-requests'),
  ombudsmanInformationAnswer: route('/api/v1/ombudsman-enquiries/:enquiryId/information-requests/:requestId/answer'),
  ombudsmanDecision: route('/api/v1/ombudsman-enquiries/:enquiryId/decision'),
  ombudsmanCompliance: route('/api/v1/ombudsman-enquiries/:enquiryId/compliance'),
  lessons: route('/api/v1/lessons'),
  lesson: route('/api/v1/lessons/:lessonId'),
  lessonActions: route('/api/v1/lessons/:lessonId/actions'),
  learningActions: route('/api/v1/learning-actions'),
  learningActionCompletion: route('/api/v1/learning-actions/:actionId/complete'),
} as const;
