// The report as one printable, self-contained HTML page: inline CSS (with print rules) and
// inline SVG bar charts, no script and no external asset, so it can be saved, mailed or printed
// as it is. Vietnamese labels (lang="vi") with the English figure names beside them.
import { NATIONWIDE } from './statistics-csv.ts';
import type { Figures, Rate, StatisticsReport } from './statistics-report.ts';

const escapeHtml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const percent = (value: number | null) => (value === null ? '–' : `${(Math.round(value * 1000) / 10).toLocaleString('vi-VN')}%`);

const hours = (seconds: number | null) => (seconds === null ? '–' : (Math.round(seconds / 36) / 100).toLocaleString('vi-VN'));

function rateCell(rate: Rate): string {
  const mark = rate.met === null ? '' : rate.met ? ' <span class="met">✓ đạt</span>' : ' <span class="missed">✗ chưa đạt</span>';
  return `<td>${percent(rate.rate)}${mark}</td>`;
}

type Bar = { label: string; value: number; target?: number; shown?: string };

/** A horizontal bar chart; `max` is the full width (1 for rates); a target draws a dashed mark. */
function barChart(title: string, bars: readonly Bar[], max: number, format: (value: number) => string): string {
  const rowHeight = 22;
  const labelWidth = 190;
  const barWidth = 420;
  const height = bars.length * rowHeight + 10;
  const scale = (value: number) => (max <= 0 ? 0 : Math.min(1, value / max) * barWidth);
  const rows = bars
    .map((bar, index) => {
      const y = index * rowHeight + 5;
      const target = bar.target === undefined ? '' : `<line class="target" x1="${labelWidth + scale(bar.target)}" x2="${labelWidth + scale(bar.target)}" y1="${y - 2}" y2="${y + rowHeight - 4}"><title>mục tiêu ${format(bar.target)}</title></line>`;
      return `<text x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${escapeHtml(bar.label)}</text><rect x="${labelWidth}" y="${y}" width="${scale(bar.value).toFixed(1)}" height="${rowHeight - 6}"/>${target}<text x="${labelWidth + scale(bar.value) + 4}" y="${y + 13}">${escapeHtml(bar.shown ?? format(bar.value))}</text>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${labelWidth + barWidth + 70}" height="${height}" viewBox="0 0 ${labelWidth + barWidth + 70} ${height}">${rows}</svg></figure>`;
}

function rateBars(figures: Figures): Bar[] {
  const { tips, victims } = figures;
  return (
    [
      ['Tin báo được phân loại', tips.classifiedRate],
      ['Tin báo được giải quyết', tips.resolvedRate],
      ['Nạn nhân được xác minh', victims.verifiedRate],
      ['Nạn nhân được bảo vệ', victims.protectedRate],
      ['Nạn nhân được hỗ trợ', victims.supportedRate],
    ] as const
  ).map(([label, rate]) => ({ label, value: rate.rate ?? 0, target: rate.target, ...(rate.rate === null ? { shown: '– (không có)' } : {}) }));
}

const provinceRow = (province: string, { tips, victims, referrals, returns }: Figures, header = false) => {
  const cell = header ? 'th scope="row"' : 'td';
  return `<tr><${cell}>${escapeHtml(province)}</${cell.split(' ')[0]}><td>${tips.received}</td><td>${tips.classified}</td><td>${tips.resolved}</td>${rateCell(tips.classifiedRate)}${rateCell(tips.resolvedRate)}<td>${victims.received}</td><td>${victims.verified}</td><td>${victims.identified}</td><td>${victims.protected}</td><td>${victims.supported}</td>${rateCell(victims.verifiedRate)}${rateCell(victims.protectedRate)}${rateCell(victims.supportedRate)}<td>${referrals.total.issued}</td><td>${referrals.total.accepted}</td><td>${referrals.total.declined}</td><td>${referrals.total.overdue}</td><td>${hours(referrals.total.medianSecondsToAcceptance)}</td><td>${returns.persons}</td></tr>`;
};

const STYLE = `
body{font:13px/1.4 system-ui,"Segoe UI",Roboto,Arial,sans-serif;color:#111;margin:24px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #999}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #bbb;padding:3px 5px;text-align:right}
th{background:#eee}th[scope=row],td:first-child{text-align:left}thead th{font-weight:600}
.met{color:#126b2b}.missed{color:#a4161a;font-weight:600}
figure{margin:8px 0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:4px}
svg text{font-size:11px;fill:#111}svg rect{fill:#2f5d8a}svg line.target{stroke:#a4161a;stroke-width:2;stroke-dasharray:3 2}
.note{color:#444;font-size:12px}
@media print{body{margin:0}h2{break-after:avoid}table{font-size:10px}tr{break-inside:avoid}@page{size:A4 landscape;margin:12mm}}`;

const HEADER = `<thead><tr><th scope="col">Tỉnh, thành phố</th><th scope="col">Tin báo tiếp nhận</th><th scope="col">Đã phân loại</th><th scope="col">Đã giải quyết</th><th scope="col">Tỷ lệ phân loại (mục tiêu 100%)</th><th scope="col">Tỷ lệ giải quyết (mục tiêu 90%)</th><th scope="col">Nạn nhân tiếp nhận</th><th scope="col">Đã xác minh</th><th scope="col">Xác định là nạn nhân</th><th scope="col">Được bảo vệ</th><th scope="col">Được hỗ trợ</th><th scope="col">Tỷ lệ xác minh (100%)</th><th scope="col">Tỷ lệ bảo vệ (100%)</th><th scope="col">Tỷ lệ hỗ trợ (100%)</th><th scope="col">Chuyển tuyến</th><th scope="col">Tiếp nhận</th><th scope="col">Từ chối</th><th scope="col">Quá hạn</th><th scope="col">Trung vị giờ đến khi tiếp nhận</th><th scope="col">Nạn nhân trở về</th></tr></thead>`;

export function statisticsHtml(report: StatisticsReport): string {
  const { period, total } = report;
  const scope = report.province ?? NATIONWIDE;
  const referralRows = Object.entries(total.referrals.byAgency)
    .map(([agency, figures]) => `<tr><th scope="row">${escapeHtml(agency)}</th><td>${figures.issued}</td><td>${figures.accepted}</td><td>${figures.declined}</td><td>${figures.overdue}</td><td>${hours(figures.medianSecondsToAcceptance)}</td></tr>`)
    .join('');
  const returnRows = total.returns.byCountryAndGate
    .map((entry) => `<tr><th scope="row">${escapeHtml(entry.country)}</th><td>${escapeHtml(entry.borderGate ?? 'không qua cửa khẩu đường bộ')}</td><td>${entry.handovers}</td><td>${entry.persons}</td></tr>`)
    .join('');
  const tipsByProvince = report.provinces.map(({ province, figures }) => ({ label: province, value: figures.tips.received }));
  const maxTips = Math.max(1, ...tipsByProvince.map((bar) => bar.value));
  const maxReturns = Math.max(1, ...total.returns.byCountryAndGate.map((entry) => entry.persons));
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Báo cáo thống kê ${escapeHtml(period.label)} — ${escapeHtml(scope)}</title><style>${STYLE}</style></head>
<body>
<h1>Báo cáo thống kê phòng, chống mua bán người — kỳ ${escapeHtml(period.label)}</h1>
<p class="note">${escapeHtml(scope)}. Kỳ báo cáo: ${period.firstDay} đến ${period.lastDay} (giờ Việt Nam, UTC+7); hạn báo cáo ${period.due}. Tính từ ${report.events} sự kiện trong kho lưu trữ kiểm toán. <span lang="en">Statistics report, period ${escapeHtml(period.label)}: ${period.firstDay} – ${period.lastDay} (Viet Nam time), due ${period.due}.</span></p>
<h2>Tỷ lệ so với mục tiêu <span lang="en" class="note">(rates against targets)</span></h2>
${barChart(`Tỷ lệ đạt được — ${scope} (vạch đỏ: mục tiêu)`, rateBars(total), 1, percent)}
<h2>Theo tỉnh, thành phố <span lang="en" class="note">(per province)</span></h2>
<table>${HEADER}<tbody>${report.provinces.map(({ province, figures }) => provinceRow(province, figures, true)).join('')}</tbody>${report.province ? '' : `<tfoot>${provinceRow(NATIONWIDE, total, true)}</tfoot>`}</table>
${barChart('Tin báo tiếp nhận theo tỉnh, thành phố', tipsByProvince, maxTips, String)}
<h2>Chuyển tuyến theo cơ quan tiếp nhận <span lang="en" class="note">(referrals by receiving agency)</span></h2>
<table><thead><tr><th scope="col">Cơ quan</th><th scope="col">Chuyển đến</th><th scope="col">Tiếp nhận</th><th scope="col">Từ chối</th><th scope="col">Quá hạn</th><th scope="col">Trung vị giờ đến khi tiếp nhận</th></tr></thead><tbody>${referralRows}</tbody></table>
<h2>Nạn nhân trở về từ nước ngoài <span lang="en" class="note">(returns from abroad)</span></h2>
<table><thead><tr><th scope="col">Nước</th><th scope="col">Cửa khẩu</th><th scope="col">Lượt trao trả</th><th scope="col">Số người</th></tr></thead><tbody>${returnRows}</tbody><tfoot><tr><th scope="row">Tổng</th><td></td><td>${total.returns.handovers}</td><td>${total.returns.persons}</td></tr></tfoot></table>
${total.returns.byCountryAndGate.length ? barChart('Số người trở về theo cửa khẩu', total.returns.byCountryAndGate.map((entry) => ({ label: `${entry.country} · ${entry.borderGate ?? '—'}`, value: entry.persons })), maxReturns, String) : ''}
</body>
</html>
`;
}
