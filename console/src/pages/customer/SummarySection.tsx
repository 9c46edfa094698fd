import type { ApolloError } from '@apollo/client';
import { useMemo } from 'react';
import { Chart, type ChartOption } from '../../components/Chart';
import { ChannelBadge, Field } from '../../components/Labels';
import { useI18n, type MessageKey } from '../../i18n';
import { compactMoney, formatDate, formatMoney } from '../../lib/format';
import { CHANNEL_COLORS } from '../../lib/palette';
import { Section } from './sections';
import type { Customer360 } from './types';

export function SummarySection({ summary, error }: { summary: Customer360['purchaseSummary']; error?: ApolloError }) {
  const { t, locale } = useI18n();
  const option = useMemo<ChartOption | undefined>(() => {
    if (!summary?.byChannel.length) return undefined;
    const channels = summary.byChannel;
    return {
      grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', valueFormatter: (v: unknown) => formatMoney({ amount: Number(v), currencyCode: channels[0].amount.currencyCode }, locale) },
      xAxis: { type: 'value', splitNumber: 3, axisLabel: { formatter: (v: number) => compactMoney(v, channels[0].amount.currencyCode, locale) } },
      yAxis: { type: 'category', data: channels.map((c) => t(`channel.${c.channel}` as MessageKey)) },
      series: [
        {
          type: 'bar',
          data: channels.map((c) => ({ value: c.amount.amount, itemStyle: { color: CHANNEL_COLORS[c.channel] } })),
          label: { show: true, position: 'insideLeft', color: '#fff', formatter: (p: { value: number }) => formatMoney({ amount: p.value, currencyCode: channels[0].amount.currencyCode }, locale) },
        },
      ],
    };
  }, [summary, t, locale]);

  return (
    <Section id="summary" title={t('customer.summary')} error={error} path="customer.purchaseSummary" absent={!summary}>
      {summary ? (
        <>
          <dl className="fields">
            <Field label={t('customer.ltv')}>
              <strong data-testid="ltv">{formatMoney(summary.lifetimeValue, locale)}</strong>
            </Field>
            <Field label={t('customer.orderCount')}>{summary.orderCount}</Field>
            <Field label={t('customer.aov')}>{formatMoney(summary.averageOrderValue, locale)}</Field>
            <Field label={t('customer.firstOrder')}>{formatDate(summary.firstOrderAt, locale)}</Field>
            <Field label={t('customer.lastOrder')}>{formatDate(summary.lastOrderAt, locale)}</Field>
          </dl>
          {option ? (
            <>
              <h3>{t('customer.byChannel')}</h3>
              <Chart option={option} label={t('customer.byChannel')} height={60 + 36 * summary.byChannel.length} testId="ltv-by-channel" />
              <table className="compact" data-testid="ltv-by-channel-table">
                <caption className="visually-hidden">{t('customer.byChannel')}</caption>
                <tbody>
                  {summary.byChannel.map((c) => (
                    <tr key={c.channel}>
                      <th scope="row">
                        <ChannelBadge channel={c.channel} />
                      </th>
                      <td>{formatMoney(c.amount, locale)}</td>
                      <td>{t('customer.orders.count', { count: c.orderCount })}</td>
                      <td>{formatDate(c.lastOrderAt, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      ) : null}
    </Section>
  );
}
