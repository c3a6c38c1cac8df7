/** What other modules may use of consent: its service (`kernel.service<ConsentService>('consent')`) and the types it speaks. */
export type { ConsentService, ConsentStateView, PreferenceSource, PurposeState, ServiceCallOptions } from './consent-service';
export type { CollectionPoint, ConsentAction, ConsentEvent, ConsentMethod, ConsentPurpose, ConsentReceipt } from './ledger/consent-event';
export type { MarketingChannel } from './marketing/channels';
export type { MarketingDecision } from './marketing/preferences';
export { publishPolicy, type PolicyPublication } from './policy/publish-policy';
export { centerBrand, centerError, centerMessage, centerPath, centerRoute, centerSession, visitOf, withCenterSession, type CenterVisit } from './privacy-center/center-access';
