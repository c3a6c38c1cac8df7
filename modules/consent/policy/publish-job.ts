/** The job that keeps each brand's published policy in step with its profile: a changed policy is published as a new version. */
import type { JobSpec } from '../../../core/modules/define-module';
import { SuiteError } from '../../../core/errors';
import { publishPolicy } from './publish-policy';

/** `consent:policy-publish`: publishes the policy of every brand whose profile changed what its page says. */
export const policyPublishJob: JobSpec = {
  name: 'policy-publish',
  schedule: '*/10 * * * *',
  description: 'Publishes a new privacy policy version for each brand whose profile changed what its published policy says.',
  async run({ kernel, brands, log }) {
    const published: { brand: string; language: string; version: string; material: boolean }[] = [];
    const failed: { brand: string; code: string }[] = [];
    for (const brand of brands) {
      try {
        for (const p of await publishPolicy(kernel, brand, { type: 'system', id: 'consent:policy-publish' })) {
          if (p.published) published.push({ brand: brand.slug, language: p.language, version: p.published.version, material: p.published.material });
        }
      } catch (err) {
        // A brand whose stored profile is invalid is skipped (its admin sees SUITE_PROFILE_STORED_INVALID); the others go on.
        if (!(err instanceof SuiteError)) throw err;
        failed.push({ brand: brand.slug, code: err.code });
      }
    }
    for (const p of published) log.info(p, 'privacy policy version published');
    for (const f of failed) log.warn(f, 'privacy policy not published');
    return { published, failed };
  },
};
