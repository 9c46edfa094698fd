import type { ApolloError } from '@apollo/client';
import { useI18n, type MessageKey } from '../i18n';
import { problemsOf, type Problem } from '../lib/problems';

const SERVICES = ['customers', 'orders', 'inventory', 'recommendations', 'carts', 'gateway'];

/** Says what an answer lacks and why: a service down, a field the role may not read, a rate limit. */
export function Problems({ error, partial }: { error: ApolloError | undefined; partial?: boolean }) {
  const { t } = useI18n();
  const problems = problemsOf(error);
  if (!problems.length) return null;
  return (
    <div className="problems" role="alert" data-testid="problems">
      {partial ? <p>{t('problem.partial')}</p> : null}
      <ul>
        {problems.map((p) => (
          <li key={`${p.code}:${p.service ?? ''}`} data-code={p.code} data-service={p.service ?? ''}>
            {describe(p, t)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function describe(problem: Problem, t: (key: MessageKey, values?: Record<string, string | number>) => string): string {
  const paths = problem.paths.join(', ') || '—';
  switch (problem.code) {
    case 'UNAVAILABLE':
      return t('problem.UNAVAILABLE', { service: serviceName(problem.service, t), paths });
    case 'FORBIDDEN':
      return t('problem.FORBIDDEN', { paths });
    case 'RATE_LIMITED':
      return t('problem.RATE_LIMITED', { seconds: problem.retryAfter ?? 60 });
    case 'UNAUTHENTICATED':
      return t('problem.UNAUTHENTICATED');
    case 'NETWORK':
      return t('problem.NETWORK');
    default:
      return t('problem.other', { message: `${problem.code}: ${problem.message}` });
  }
}

export function serviceName(service: string | undefined, t: (key: MessageKey) => string): string {
  return service && SERVICES.includes(service) ? t(`service.${service}` as MessageKey) : (service ?? '?');
}

/** In place of a section the answer lacks. */
export function Missing({ problem }: { problem: Problem | undefined }) {
  const { t } = useI18n();
  return (
    <p className="missing" data-testid="missing">
      {t('problem.missing')}
      {problem ? `（${describe(problem, t)}）` : ''}
    </p>
  );
}

/** The userErrors of a mutation's payload. */
export function UserErrors({ errors }: { errors: ReadonlyArray<{ code: string; message: string }> | undefined | null }) {
  const { t } = useI18n();
  if (!errors?.length) return null;
  return (
    <ul className="user-errors" role="alert" data-testid="user-errors">
      {errors.map((e, i) => (
        <li key={i} data-code={e.code}>
          {t('problem.userError', { code: e.code, message: e.message })}
        </li>
      ))}
    </ul>
  );
}
