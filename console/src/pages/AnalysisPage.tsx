import { useQuery } from '@apollo/client';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Chart, type ChartOption } from '../components/Chart';
import { Contact, FormField } from '../components/Labels';
import { Missing, Problems } from '../components/Problems';
import { SegmentCustomersDocument, SegmentReportDocument, type Channel, type SegmentCode, type SegmentReportQuery } from '../graphql/generated';
import { useI18n, type MessageKey } from '../i18n';
import { compactMoney, formatDateTime, formatMoney, formatPercent } from '../lib/format';
import { CHANNEL_COLORS, SEGMENT_COLORS } from '../lib/palette';
import { missingAt } from '../lib/problems';

const PERIODS = ['all', '365', '90', '30'] as const;
type Period = (typeof PERIODS)[number];
const CHANNELS: Channel[] = ['STORE', 'EC', 'APP', 'PARTNER'];
const TOP = 15;
const DAY_MS = 86_400_000;

type Figures = SegmentReportQuery['segmentReport']['segments'][number];

/** Marketing's page: the segments side by side, and the customers worth most with where they spend. */
export function AnalysisPage() {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [period, setPeriod] = useState<Period>('all');
  // From the start of the day the period begins, so that the variables (and the cache) hold still.
  const since = useMemo(() => (period === 'all' ? null : new Date(new Date().setHours(0, 0, 0, 0) - Number(period) * DAY_MS).toISOString()), [period]);
  const report = useQuery(SegmentReportDocument, { variables: { since } });
  const vip = useQuery(SegmentCustomersDocument, { variables: { segment: 'VIP', first: 100 } });
  const segments = report.data?.segmentReport.segments;
  const currency = segments?.find((s) => s.revenue.currencyCode)?.revenue.currencyCode ?? 'JPY';
  const yen = (amount: number) => formatMoney({ amount, currencyCode: currency }, locale);
  const label = (code: SegmentCode) => t(`segment.${code}` as MessageKey);

  const charts = useMemo(() => {
    if (!segments?.length) return undefined;
    const names = segments.map((s) => label(s.code));
    const bar = (values: number[], format: (v: number) => string, axis: (v: number) => string = format): ChartOption => ({
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', valueFormatter: (v: unknown) => format(Number(v)) },
      xAxis: { type: 'value', splitNumber: 3, axisLabel: { formatter: (v: number) => axis(v) } },
      yAxis: { type: 'category', data: names, inverse: true },
      series: [{ type: 'bar', data: segments.map((s, i) => ({ value: values[i], itemStyle: { color: SEGMENT_COLORS[s.code] } })), label: { show: true, position: 'right', formatter: (p: { value: number }) => format(p.value) } }],
    });
    return {
      customers: bar(segments.map((s) => s.customers), (v) => new Intl.NumberFormat(locale).format(v)),
      // Segments overlap (a VIP is also omnichannel, say): shares side by side, not slices of one whole.
      share: bar(segments.map((s) => s.revenueShare), (v) => formatPercent(v, locale)),
      ltv: bar(segments.map((s) => s.averageLifetimeValue.amount), yen, (v) => compactMoney(v, currency, locale)),
    };
  }, [segments, t, locale]);

  const insight = useMemo(() => insightOf(segments), [segments]);

  const top = useMemo(() => {
    const customers = vip.data?.customers.edges.map((e) => e.node) ?? [];
    return customers
      .filter((c) => c.purchaseSummary && (since === null || (c.purchaseSummary.lastOrderAt && c.purchaseSummary.lastOrderAt >= since)))
      .sort((a, b) => b.purchaseSummary!.lifetimeValue.amount - a.purchaseSummary!.lifetimeValue.amount)
      .slice(0, TOP);
  }, [vip.data, since]);

  const topChart = useMemo<ChartOption | undefined>(() => {
    if (!top.length) return undefined;
    return {
      grid: { left: 8, right: 24, top: 8, bottom: 36, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => yen(Number(v)) },
      legend: { bottom: 0, data: CHANNELS.map((c) => t(`channel.${c}` as MessageKey)) },
      xAxis: { type: 'value', splitNumber: 4, axisLabel: { formatter: (v: number) => compactMoney(v, currency, locale) } },
      yAxis: { type: 'category', data: top.map((c) => c.displayName), inverse: true },
      series: CHANNELS.map((channel) => ({
        name: t(`channel.${channel}` as MessageKey),
        type: 'bar',
        stack: 'ltv',
        itemStyle: { color: CHANNEL_COLORS[channel] },
        data: top.map((c) => c.purchaseSummary!.byChannel.find((b) => b.channel === channel)?.amount.amount ?? 0),
      })),
    };
  }, [top, t, locale]);

  return (
    <div className="analysis" data-testid="analysis-page">
      <header className="panel wide store-head">
        <h1>{t('analysis.title')}</h1>
        <FormField label={t('analysis.period')}>
          <select value={period} onChange={(e) => setPeriod(e.target.value as Period)} data-testid="period">
            {PERIODS.map((p) => (
              <option key={p} value={p}>
                {t(`analysis.period.${p}` as MessageKey)}
              </option>
            ))}
          </select>
        </FormField>
        <p className="hint">{t('analysis.periodNote')}</p>
      </header>
      <Problems error={report.error ?? vip.error} partial={!!(report.data || vip.data)} />
      <section className="panel wide" aria-labelledby="segments-title" data-testid="section-segments">
        <h2 id="segments-title">{t('analysis.segments')}</h2>
        {report.loading && !report.data ? <p>{t('app.loading')}</p> : null}
        {!report.loading && !segments ? <Missing problem={missingAt(report.error, 'segmentReport')} /> : null}
        {segments && charts ? (
          <>
            {insight ? (
              <p className="insight" data-testid="insight">
                {t('analysis.insight', { store: yen(insight.storeBrowser), ec: yen(insight.ecOnly), ratio: insight.ratio.toFixed(1) })}
              </p>
            ) : null}
            <p className="muted">{t('analysis.generatedAt', { at: formatDateTime(report.data!.segmentReport.generatedAt, locale) })}</p>
            <div className="charts">
              <figure>
                <figcaption>{t('analysis.customersChart')}</figcaption>
                <Chart option={charts.customers} label={t('analysis.customersChart')} testId="chart-customers" />
              </figure>
              <figure>
                <figcaption>{t('analysis.shareChart')}</figcaption>
                <Chart option={charts.share} label={t('analysis.shareChart')} testId="chart-share" />
              </figure>
              <figure>
                <figcaption>{t('analysis.ltvChart')}</figcaption>
                <Chart option={charts.ltv} label={t('analysis.ltvChart')} testId="chart-ltv" />
              </figure>
            </div>
            <div className="table-wrap">
              <table data-testid="segment-table">
                <thead>
                  <tr>
                    <th scope="col">{t('analysis.table.segment')}</th>
                    <th scope="col">{t('analysis.table.customers')}</th>
                    <th scope="col">{t('analysis.table.revenue')}</th>
                    <th scope="col">{t('analysis.table.share')}</th>
                    <th scope="col">{t('analysis.table.ltv')}</th>
                  </tr>
                </thead>
                <tbody>
                  {segments.map((s) => (
                    <tr key={s.code} data-segment={s.code}>
                      <th scope="row">{label(s.code)}</th>
                      <td>{s.customers}</td>
                      <td>{formatMoney(s.revenue, locale)}</td>
                      <td>{formatPercent(s.revenueShare, locale)}</td>
                      <td>{formatMoney(s.averageLifetimeValue, locale)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>
      <section className="panel wide" aria-labelledby="top-title" data-testid="section-top">
        <h2 id="top-title">{t('analysis.top')}</h2>
        <p className="hint">{t('analysis.topHint')}</p>
        {vip.loading && !vip.data ? <p>{t('app.loading')}</p> : null}
        {!vip.loading && !vip.data ? <Missing problem={missingAt(vip.error, 'customers')} /> : null}
        {vip.data && !top.length ? <p>{t('analysis.none')}</p> : null}
        {topChart ? (
          <>
            <Chart
              option={topChart}
              label={t('analysis.top')}
              height={80 + 30 * top.length}
              testId="chart-top"
              onClick={({ dataIndex }) => top[dataIndex] && navigate(`/customers/${encodeURIComponent(top[dataIndex].id)}`)}
            />
            <div className="table-wrap">
              <table data-testid="top-table">
                <thead>
                  <tr>
                    <th scope="col">{t('analysis.table.customer')}</th>
                    <th scope="col">{t('customer.email')}</th>
                    <th scope="col">{t('analysis.table.total')}</th>
                    {CHANNELS.map((c) => (
                      <th scope="col" key={c}>
                        {t(`channel.${c}` as MessageKey)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {top.map((c) => (
                    <tr key={c.id} data-customer-id={c.id}>
                      <th scope="row">
                        <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.displayName}</Link>
                      </th>
                      <td>
                        <Contact value={c.email} />
                      </td>
                      <td>{formatMoney(c.purchaseSummary!.lifetimeValue, locale)}</td>
                      {CHANNELS.map((channel) => (
                        <td key={channel}>{formatMoney(c.purchaseSummary!.byChannel.find((b) => b.channel === channel)?.amount ?? { amount: 0, currencyCode: currency }, locale)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </section>
    </div>
  );
}

/** The seed's finding at a glance: buying in store and browsing online against buying online only. */
export function insightOf(segments: Figures[] | undefined): { storeBrowser: number; ecOnly: number; ratio: number } | undefined {
  const storeBrowser = segments?.find((s) => s.code === 'STORE_BUYER_EC_BROWSER');
  const ecOnly = segments?.find((s) => s.code === 'EC_ONLY');
  if (!storeBrowser || !ecOnly || !ecOnly.averageLifetimeValue.amount) return undefined;
  return {
    storeBrowser: storeBrowser.averageLifetimeValue.amount,
    ecOnly: ecOnly.averageLifetimeValue.amount,
    ratio: storeBrowser.averageLifetimeValue.amount / ecOnly.averageLifetimeValue.amount,
  };
}
