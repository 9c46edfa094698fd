import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;
export type ChartClick = { dataIndex: number; seriesIndex?: number; name: string };

/**
 * An Apache ECharts chart that follows its container's size. A canvas says nothing to a screen reader:
 * the chart is an image with a label, and each chart has a table of the same figures beside it.
 */
export function Chart({ option, label, height = 280, onClick, testId }: { option: ChartOption; label: string; height?: number; onClick?: (click: ChartClick) => void; testId?: string }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clicked = useRef(onClick);
  clicked.current = onClick;

  useEffect(() => {
    const el = element.current!;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    // For tests and tools: where a data point is drawn (convertToPixel) without reading the canvas.
    (el as HTMLDivElement & { echarts?: echarts.ECharts }).echarts = instance;
    instance.on('click', (params) => clicked.current?.({ dataIndex: params.dataIndex, seriesIndex: params.seriesIndex, name: params.name }));
    instance.on('finished', () => el.setAttribute('data-chart-ready', 'true'));
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    element.current?.setAttribute('data-chart-ready', 'false');
    chart.current?.setOption(option, true);
  }, [option]);

  return <div ref={element} className="chart" role="img" aria-label={label} data-testid={testId} style={{ height, cursor: onClick ? 'pointer' : undefined }} />;
}
