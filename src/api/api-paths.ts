/** Typed URL helpers for the JSON API (`/api/v1`), as `paths.ts` is for the pages. */
import { route } from '../web/paths.ts';

export const apiPaths = {
  representations: route('/api/v1/representations'),
  representation: route('/api/v1/representations/:reference'),
  representationActions: route('/api/v1/representations/:reference/actions'),
  representationAction: route('/api/v1/representations/:reference/actions/:action'),
  ombudsmanEnquiries: route('/api/v1/ombudsman-enquiries'),
  ombudsmanEnquiry: route('/api/v1/ombudsman-enquiries/:enquiryId'),
  ombudsmanInformationRequests: route('/api/v1/ombudsman-enquiries/:enquiryId/information-requests'),
  ombudsmanInformationAnswer: route('/api/v1/ombudsman-enquiries/:enquiryId/information-requests/:requestId/answer'),
  ombudsmanDecision: route('/api/v1/ombudsman-enquiries/:enquiryId/decision'),
  ombudsmanCompliance: route('/api/v1/ombudsman-enquiries/:enquiryId/compliance'),
} as const;
