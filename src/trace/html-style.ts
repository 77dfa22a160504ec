// The HTML trace page's stylesheet, inlined in the page (no external resources).

export const CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1e293b; margin: 24px; background: #fff; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 28px 0 8px; }
header { border-left: 5px solid #64748b; padding: 4px 0 4px 14px; margin-bottom: 18px; }
header.violated { border-left-color: #dc2626; }
.violation { color: #b91c1c; font-weight: 600; margin: 2px 0; }
.ok { color: #15803d; font-weight: 600; }
.witnesses { margin: 2px 0 8px; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 8px 0 0; }
dl.facts dt { color: #64748b; } dl.facts dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }
.note { color: #64748b; font-size: 13px; }
.chart { overflow-x: auto; border: 1px solid #e2e8f0; border-radius: 6px; padding: 4px; }
svg.msc { display: block; height: auto; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: 13px; color: #475569; margin: 8px 0; }
.legend span.key { display: inline-block; width: 26px; height: 10px; vertical-align: middle; margin-right: 5px; border-radius: 5px; }
pre.timeline { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px; padding: 12px; font-size: 12.5px; overflow-x: auto; }
svg.msc text { white-space: pre; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11px; fill: #1e293b; }
svg.msc .lane-name { font-size: 13px; font-weight: 700; }
svg.msc .lane-sub { font-size: 10.5px; fill: #64748b; }
svg.msc .lane-line { stroke: #94a3b8; stroke-width: 1.5; }
svg.msc .lane.byzantine .lane-line { stroke: #dc2626; stroke-dasharray: 6 4; }
svg.msc .lane.byzantine .lane-name, svg.msc .lane.byzantine .lane-sub { fill: #dc2626; }
svg.msc .lane-witness { font-size: 10px; font-weight: 700; fill: #b91c1c; }
svg.msc .band { fill: #f1f5f9; }
svg.msc .band-label { font-size: 11.5px; font-weight: 600; fill: #334155; }
svg.msc .to-all { stroke: #cbd5e1; stroke-dasharray: 2 3; }
svg.msc .badge { stroke-width: 1.2; }
svg.msc .badge-text { font-size: 10.5px; }
svg.msc .byz-arrow { stroke: #dc2626; stroke-width: 1.4; stroke-dasharray: 5 3; }
svg.msc .byz-head { fill: #dc2626; }
svg.msc .byz-label { font-size: 10.5px; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.msc .equivocation-note { font-size: 10px; font-weight: 700; fill: #dc2626; }
svg.msc .rule { font-size: 10px; fill: #475569; }
svg.msc .rule-bg { fill: #fff; }
svg.msc .rule-actions { fill: #64748b; }
.withheld-arrow { stroke: #64748b; stroke-width: 1.3; stroke-dasharray: 2 3; }
.withheld-x { stroke: #334155; stroke-width: 2; fill: none; }
svg.msc .withheld-label, svg.msc .withheld-note { font-size: 10.5px; font-style: italic; fill: #334155; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
svg.msc .silent-badge { fill: #f1f5f9; stroke: #475569; stroke-dasharray: 3 2; }
svg.msc .silent-text { font-size: 10.5px; font-style: italic; fill: #334155; }
svg.msc .state-box { fill: #fff; stroke: #cbd5e1; }
svg.msc .witness-state .state-box { stroke: #dc2626; stroke-width: 2; }
svg.msc .state-line.decided { font-weight: 700; fill: #15803d; }
svg.msc .decision-mark { fill: #16a34a; stroke: #fff; stroke-width: 1.5; }
svg.msc .decision-text { fill: #fff; font-weight: 700; font-size: 10px; }
svg.msc .broadcast.v0 .badge, .key.v0 { fill: #dbeafe; stroke: #2563eb; background: #dbeafe; }
svg.msc .broadcast.v1 .badge, .key.v1 { fill: #fef3c7; stroke: #d97706; background: #fef3c7; }
svg.msc .broadcast.v2 .badge { fill: #d1fae5; stroke: #059669; }
svg.msc .broadcast.v3 .badge { fill: #ede9fe; stroke: #7c3aed; }
svg.msc .broadcast.v4 .badge, svg.msc .broadcast.v5 .badge { fill: #fce7f3; stroke: #db2777; }
svg.msc .broadcast.vnone .badge, svg.msc .broadcast.vtrue .badge, svg.msc .broadcast.vfalse .badge { fill: #f1f5f9; stroke: #64748b; }
svg.msc .byz-label.v0 { fill: #2563eb; } svg.msc .byz-label.v1 { fill: #d97706; } svg.msc .byz-label.v2 { fill: #059669; }
svg.msc .byz-label.v3 { fill: #7c3aed; } svg.msc .byz-label.v4, svg.msc .byz-label.v5 { fill: #db2777; }
svg.msc .byz-label.vnone, svg.msc .byz-label.vtrue, svg.msc .byz-label.vfalse { fill: #475569; }
.key.byz { background: repeating-linear-gradient(90deg, #dc2626 0 6px, transparent 6px 9px); height: 3px !important; }
.legend svg.key-svg { vertical-align: middle; margin-right: 5px; }
pre.rules { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 6px; padding: 10px 12px; font-size: 12.5px; overflow-x: auto; margin: 6px 0; }
.key.dec { background: #16a34a; width: 12px !important; height: 12px !important; border-radius: 6px !important; }
`;

/** Added to the stylesheet for crash and omission traces only, so the page of a Byzantine trace is unchanged. */
export const FAULT_CSS = `
svg.msc .lane.faulty .lane-line { stroke: #d97706; stroke-dasharray: 3 3; }
svg.msc .lane.faulty .lane-name, svg.msc .lane.faulty .lane-sub { fill: #b45309; }
svg.msc .fault-arrow { stroke: #94a3b8; }
svg.msc .crash-badge { fill: #fff7ed; stroke: #b45309; stroke-width: 1.5; }
svg.msc .crash-text { font-size: 11px; font-weight: 700; fill: #b45309; }
.key.faulty-key { background: repeating-linear-gradient(90deg, #d97706 0 3px, transparent 3px 6px); height: 3px !important; }
.key.crash-key { width: auto !important; height: auto !important; color: #b45309; font-weight: 700; }
`;
