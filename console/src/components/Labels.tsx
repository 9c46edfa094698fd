import { cloneElement, useId, type ReactElement, type ReactNode } from 'react';
import type { Channel, SegmentCode } from '../graphql/generated';
import { useI18n, type MessageKey } from '../i18n';
import { isMasked } from '../lib/format';

export function SegmentChips({ segments }: { segments: ReadonlyArray<{ code: SegmentCode }> }) {
  const { t } = useI18n();
  if (!segments.length) return <span className="muted">{t('customer.segments.none')}</span>;
  return (
    <ul className="chips">
      {segments.map((s) => (
        <li key={s.code} className="chip" data-segment={s.code}>
          {t(`segment.${s.code}` as MessageKey)}
        </li>
      ))}
    </ul>
  );
}

export function ChannelBadge({ channel }: { channel: Channel }) {
  const { t } = useI18n();
  return (
    <span className="channel" data-channel={channel}>
      {t(`channel.${channel}` as MessageKey)}
    </span>
  );
}

/** A contact detail exactly as the graph returned it; masked values say so. */
export function Contact({ value, testId }: { value: string | null | undefined; testId?: string }) {
  const { t } = useI18n();
  if (!value) return <span className="muted">—</span>;
  return (
    <span className="contact" data-testid={testId}>
      <span className="value">{value}</span>
      {isMasked(value) ? <span className="masked-note">（{t('customer.masked')}）</span> : null}
    </span>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A labelled form control: the label names the control alone (not the options inside it). */
export function FormField({ label, className, children }: { label: ReactNode; className?: string; children: ReactElement<{ id?: string }> }) {
  const id = useId();
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id })}
    </div>
  );
}
