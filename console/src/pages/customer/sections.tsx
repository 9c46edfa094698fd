import type { ApolloError } from '@apollo/client';
import type { ReactNode } from 'react';
import { Missing } from '../../components/Problems';
import { missingAt } from '../../lib/problems';

/** A section of the customer page: its content, or what is missing and why (another service down, a refused field). */
export function Section({ id, title, error, path, absent, children, wide }: { id: string; title: string; error?: ApolloError; path?: string; absent?: boolean; children: ReactNode; wide?: boolean }) {
  const problem = path ? missingAt(error, path) : undefined;
  return (
    <section className={`panel${wide ? ' wide' : ''}`} aria-labelledby={`${id}-title`} data-testid={`section-${id}`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {absent || (problem && absent !== false) ? <Missing problem={problem} /> : children}
    </section>
  );
}
