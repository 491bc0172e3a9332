import { useId } from "react";

export interface ChartLine {
  label: string;
  /** One value per x; null draws a gap (no data in that bucket). */
  values: Array<number | null>;
  /** A CSS colour (a custom property is fine). */
  color: string;
  /** Dashed, so lines stay apart for readers who cannot tell the colours apart. */
  dashed?: boolean;
}

export interface ChartRule {
  value: number;
  label: string;
}

interface Props {
  title: string;
  description: string;
  x: Date[];
  lines: ChartLine[];
  /** Horizontal reference lines (thresholds). */
  rules?: ChartRule[];
  formatX: (at: Date) => string;
  formatY: (value: number | null) => string;
  /** The y axis runs from 0 to this. */
  yMax?: number;
}

const width = 640;
const height = 220;
const pad = { top: 12, right: 16, bottom: 26, left: 52 };
const plotW = width - pad.left - pad.right;
const plotH = height - pad.top - pad.bottom;

/** Path data for one line, lifting the pen over nulls. */
function pathOf(
  values: Array<number | null>,
  xAt: (i: number) => number,
  yAt: (v: number) => number,
) {
  let d = "";
  let drawing = false;
  values.forEach((v, i) => {
    if (v == null) {
      drawing = false;
      return;
    }
    d += `${drawing ? "L" : "M"}${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`;
    drawing = true;
  });
  return d;
}

/**
 * A small line chart in inline SVG: no chart library for a handful of lines. The SVG is an image
 * with a title and description for screen readers, and the same numbers are in a table below it
 * (collapsed), for anyone who cannot read the picture.
 */
export function LineChart({
  title,
  description,
  x,
  lines,
  rules = [],
  formatX,
  formatY,
  yMax = 1,
}: Props) {
  const id = useId();
  const xAt = (i: number) => pad.left + (x.length <= 1 ? plotW / 2 : (i / (x.length - 1)) * plotW);
  const yAt = (v: number) => pad.top + plotH - (Math.min(Math.max(v, 0), yMax) / yMax) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const xLabels = x.length > 1 ? [0, Math.floor((x.length - 1) / 2), x.length - 1] : [0];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {ticks.map((t) => (
          <g key={t} className="chart-grid">
            <line x1={pad.left} x2={width - pad.right} y1={yAt(t)} y2={yAt(t)} />
            <text x={pad.left - 6} y={yAt(t) + 4} textAnchor="end">
              {formatY(t)}
            </text>
          </g>
        ))}
        {rules.map((r) => (
          <g key={r.label} className="chart-rule">
            <line x1={pad.left} x2={width - pad.right} y1={yAt(r.value)} y2={yAt(r.value)} />
            <text x={width - pad.right - 4} y={yAt(r.value) - 4} textAnchor="end">
              {r.label}
            </text>
          </g>
        ))}
        {xLabels.map((i) => {
          const at = x[i];
          return at ? (
            <text
              key={i}
              className="chart-x"
              x={xAt(i)}
              y={height - 6}
              textAnchor={i === 0 ? "start" : i === x.length - 1 ? "end" : "middle"}
            >
              {formatX(at)}
            </text>
          ) : null;
        })}
        {lines.map((line) => (
          <g key={line.label}>
            <path
              d={pathOf(line.values, xAt, yAt)}
              fill="none"
              stroke={line.color}
              strokeWidth={2}
              strokeDasharray={line.dashed ? "6 4" : undefined}
            />
            {/* A value with no neighbour draws no line: mark it with a dot. */}
            {line.values.map((v, i) =>
              v != null && line.values[i - 1] == null && line.values[i + 1] == null ? (
                <circle
                  key={x[i]?.getTime() ?? i}
                  cx={xAt(i)}
                  cy={yAt(v)}
                  r={3}
                  fill={line.color}
                />
              ) : null,
            )}
          </g>
        ))}
      </svg>
      <figcaption className="chart-legend">
        {lines.map((line) => (
          <span key={line.label}>
            <svg width="24" height="8" aria-hidden="true">
              <line
                x1="0"
                x2="24"
                y1="4"
                y2="4"
                stroke={line.color}
                strokeWidth={2}
                strokeDasharray={line.dashed ? "6 4" : undefined}
              />
            </svg>
            {line.label}
          </span>
        ))}
      </figcaption>
      <details>
        <summary>Show the data as a table</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                {lines.map((line) => (
                  <th key={line.label} scope="col">
                    {line.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {x.map((at, i) => (
                <tr key={at.getTime()}>
                  <th scope="row">{formatX(at)}</th>
                  {lines.map((line) => (
                    <td key={line.label}>{formatY(line.values[i] ?? null)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
