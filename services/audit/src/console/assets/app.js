// The auditor console: plain browser JavaScript, no framework, no bundler, nothing fetched from
// anywhere but this audit service. It logs in with a pasted token (kept in sessionStorage only),
// shows a case's timeline and referral chain, checks the case's inclusion proofs and the signed
// tree head in the browser (WebCrypto), and draws the period's statistics against the targets.
// A module script, so strict mode throughout.
/* global document, window, sessionStorage, navigator, fetch, crypto, atob, TextEncoder, TextDecoder, URL, URLSearchParams */

const TOKEN_KEY = 'nrm-auditor-token';
const LANGUAGE_KEY = 'nrm-console-language';
const TREE_HEAD_TYPE = 'nrm-tree-head+jws';
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const PERIOD = /^(20\d{2})(?:-(Q[1-4]|H[12]))?$/;
const PROOF_CONCURRENCY = 6;
// The SVG namespace, taken from the HTML parser rather than spelled out, so the assets hold no URL at all.
const SVG_NS = (() => {
  const holder = document.createElement('div');
  holder.innerHTML = '<svg></svg>';
  return holder.firstChild.namespaceURI;
})();
// Every API call goes to this service, relative to the page (…/v1/audit/console → …/v1/audit/).
const API_BASE = new URL('./', window.location.href);

const MESSAGES = {
  en: {
    title: 'NRM auditor console',
    heading: 'Auditor console',
    skip: 'Skip to content',
    switchTo: 'Tiếng Việt',
    switchLabel: 'Chuyển sang tiếng Việt',
    logout: 'Log out',
    'login.heading': 'Log in',
    'login.help': 'Paste an access token with the auditor role. It is kept in this browser tab only and is forgotten when the tab closes.',
    'login.token': 'Access token',
    'login.submit': 'Log in',
    'login.empty': 'Paste a token first.',
    'login.checking': 'Checking the token…',
    'login.401': 'The token was refused (401): it is not valid here or it has expired.',
    'login.403': 'This token does not carry the auditor role (403).',
    'login.expired': 'The session ended (the token was refused): log in again.',
    'case.heading': 'Find a case',
    'case.label': 'Case id (a ULID, 26 characters)',
    'case.submit': 'Search',
    'case.invalid': 'A case id is a ULID: 26 characters, digits and capital letters except I, L, O and U.',
    'case.loading': 'Loading the case…',
    'case.notFound': 'No case with this id in the audit archive (404).',
    'case.found': 'Case {caseId}: {events} events across {agencies} agencies.',
    'case.title': 'Case {caseId}',
    'integrity.heading': 'Integrity',
    'integrity.checking': 'Checking the proofs of {events} events…',
    'integrity.verified': 'Verified: {events} events in tree of size {treeSize}',
    'integrity.unsigned': 'Proofs verified for {events} events in tree of size {treeSize}; signature not checked',
    'integrity.failed': 'Not verified: event {eventId}: {reason}',
    'integrity.failedHead': 'Not verified: the signed tree head: {reason}',
    'integrity.signatureOk': 'Tree head signed by key {kid} at {timestamp}; signature checked in this browser (Ed25519).',
    'integrity.signatureUnavailable': 'Signature not checked: this browser has no Ed25519 in WebCrypto. The inclusion proofs were checked.',
    'reason.signature': 'the tree head signature does not verify',
    'reason.headFields': 'the signed fields differ from the tree head served',
    'reason.headType': 'the tree head is not a tree-head JWS of this log',
    'reason.noKey': 'the signing key is not in the published key set',
    'reason.envelopeId': 'the proof is for a different event',
    'reason.leafHash': 'the leaf hash does not match the envelope',
    'reason.path': 'the audit path does not lead to the signed root',
    'reason.treeSize': 'the proof is for another tree size',
    'reason.fetch': 'the proof could not be fetched ({status})',
    'graph.heading': 'Referral chain',
    'graph.region': 'Referral chain graph, scrollable',
    'graph.title': 'Referral chain of case {caseId}',
    'graph.desc': '{nodes} events in {lanes} agency lanes, left to right in causal order; {edges} arrows go from each cause to its effect.',
    'graph.asList': 'The chain as a list',
    'graph.item': '{agency}: {type}, {time}',
    'graph.itemCause': '{agency}: {type}, {time}; caused by {cause}',
    'timeline.heading': 'Timeline',
    'timeline.caption': 'Every event of the case in causal order. Personal fields stay sealed.',
    'timeline.time': 'Recorded',
    'timeline.agency': 'Agency',
    'timeline.type': 'Event',
    'timeline.actor': 'Actor',
    'timeline.cause': 'Caused by',
    'timeline.data': 'Details',
    'timeline.request': '(a request)',
    sealed: 'sealed',
    'stats.heading': 'Statistics',
    'stats.period': 'Reporting period (2026, 2026-H2 or 2026-Q4)',
    'stats.submit': 'Show',
    'stats.invalid': 'A period is a year (2026), a half-year (2026-H2) or a quarter (2026-Q4).',
    'stats.loading': 'Loading the statistics…',
    'stats.summary': '{label}: {first} to {last}, due {due}; computed from {events} archived events.',
    'stats.rates': 'Rates against the targets',
    'stats.ratesDesc': 'Each bar is a rate from 0 to 100%; the dashed line marks its target.',
    'stats.counts': 'Figures of the period',
    'stats.byAgency': 'Referrals received per agency',
    'stats.byAgencyDesc': 'Issued (upper bar) and accepted (lower bar) referrals to each agency.',
    'stats.met': 'target met',
    'stats.missed': 'target missed',
    'stats.noCohort': 'nothing to measure',
    'stats.rateLine': '{name}: {rate} ({numerator} of {denominator}); target {target}; {verdict}',
    'rate.tipsClassified': 'Tips classified',
    'rate.tipsResolved': 'Tips resolved',
    'rate.victimsVerified': 'Victims verified',
    'rate.victimsProtected': 'Victims protected',
    'rate.victimsSupported': 'Victims supported',
    'count.tipsReceived': 'Tips received',
    'count.victimsReceived': 'Persons received',
    'count.victimsIdentified': 'Victims identified',
    'count.referralsIssued': 'Referrals issued',
    'count.referralsAccepted': 'Referrals accepted',
    'count.referralsDeclined': 'Referrals declined',
    'count.referralsOverdue': 'Referrals overdue',
    'count.medianAcceptance': 'Median time to acceptance',
    'count.returns': 'Returns from abroad (handovers)',
    'count.returnedPersons': 'Persons returned',
    'legend.issued': 'issued',
    'legend.accepted': 'accepted',
    'error.generic': 'The request failed ({status}): {detail}',
    'error.network': 'The audit service did not answer: {detail}',
  },
  vi: {
    title: 'Bảng điều khiển kiểm toán NRM',
    heading: 'Bảng điều khiển kiểm toán',
    skip: 'Chuyển đến nội dung',
    switchTo: 'English',
    switchLabel: 'Switch to English',
    logout: 'Đăng xuất',
    'login.heading': 'Đăng nhập',
    'login.help': 'Dán mã truy cập có vai trò kiểm toán viên. Mã chỉ được giữ trong thẻ trình duyệt này và bị xóa khi đóng thẻ.',
    'login.token': 'Mã truy cập',
    'login.submit': 'Đăng nhập',
    'login.empty': 'Hãy dán mã truy cập trước.',
    'login.checking': 'Đang kiểm tra mã truy cập…',
    'login.401': 'Mã truy cập bị từ chối (401): không hợp lệ tại đây hoặc đã hết hạn.',
    'login.403': 'Mã truy cập này không có vai trò kiểm toán viên (403).',
    'login.expired': 'Phiên làm việc đã kết thúc (mã truy cập bị từ chối): hãy đăng nhập lại.',
    'case.heading': 'Tìm vụ việc',
    'case.label': 'Mã vụ việc (ULID, 26 ký tự)',
    'case.submit': 'Tìm',
    'case.invalid': 'Mã vụ việc là một ULID: 26 ký tự gồm chữ số và chữ in hoa, trừ I, L, O và U.',
    'case.loading': 'Đang tải vụ việc…',
    'case.notFound': 'Không có vụ việc nào với mã này trong kho lưu trữ kiểm toán (404).',
    'case.found': 'Vụ việc {caseId}: {events} sự kiện tại {agencies} cơ quan.',
    'case.title': 'Vụ việc {caseId}',
    'integrity.heading': 'Tính toàn vẹn',
    'integrity.checking': 'Đang kiểm tra bằng chứng của {events} sự kiện…',
    'integrity.verified': 'Đã xác minh: {events} sự kiện trong cây kích thước {treeSize}',
    'integrity.unsigned': 'Đã xác minh bằng chứng của {events} sự kiện trong cây kích thước {treeSize}; chưa kiểm tra chữ ký',
    'integrity.failed': 'Không xác minh được: sự kiện {eventId}: {reason}',
    'integrity.failedHead': 'Không xác minh được: đầu cây đã ký: {reason}',
    'integrity.signatureOk': 'Đầu cây được ký bằng khóa {kid} lúc {timestamp}; chữ ký đã được kiểm tra trong trình duyệt này (Ed25519).',
    'integrity.signatureUnavailable': 'Chưa kiểm tra chữ ký: trình duyệt này không hỗ trợ Ed25519 trong WebCrypto. Các bằng chứng bao hàm đã được kiểm tra.',
    'reason.signature': 'chữ ký của đầu cây không hợp lệ',
    'reason.headFields': 'các trường đã ký khác với đầu cây được cung cấp',
    'reason.headType': 'đầu cây không phải là JWS đầu cây của nhật ký này',
    'reason.noKey': 'khóa ký không có trong bộ khóa đã công bố',
    'reason.envelopeId': 'bằng chứng thuộc về một sự kiện khác',
    'reason.leafHash': 'giá trị băm lá không khớp với phong bì sự kiện',
    'reason.path': 'đường kiểm toán không dẫn đến gốc đã ký',
    'reason.treeSize': 'bằng chứng thuộc về một kích thước cây khác',
    'reason.fetch': 'không tải được bằng chứng ({status})',
    'graph.heading': 'Chuỗi chuyển tuyến',
    'graph.region': 'Sơ đồ chuỗi chuyển tuyến, có thể cuộn',
    'graph.title': 'Chuỗi chuyển tuyến của vụ việc {caseId}',
    'graph.desc': '{nodes} sự kiện trên {lanes} làn cơ quan, từ trái sang phải theo thứ tự nhân quả; {edges} mũi tên đi từ nguyên nhân đến kết quả.',
    'graph.asList': 'Chuỗi dưới dạng danh sách',
    'graph.item': '{agency}: {type}, {time}',
    'graph.itemCause': '{agency}: {type}, {time}; do {cause}',
    'timeline.heading': 'Dòng thời gian',
    'timeline.caption': 'Mọi sự kiện của vụ việc theo thứ tự nhân quả. Các trường cá nhân vẫn được niêm phong.',
    'timeline.time': 'Thời điểm ghi',
    'timeline.agency': 'Cơ quan',
    'timeline.type': 'Sự kiện',
    'timeline.actor': 'Người thực hiện',
    'timeline.cause': 'Nguyên nhân',
    'timeline.data': 'Chi tiết',
    'timeline.request': '(một yêu cầu)',
    sealed: 'đã niêm phong',
    'stats.heading': 'Thống kê',
    'stats.period': 'Kỳ báo cáo (2026, 2026-H2 hoặc 2026-Q4)',
    'stats.submit': 'Xem',
    'stats.invalid': 'Kỳ báo cáo là một năm (2026), nửa năm (2026-H2) hoặc một quý (2026-Q4).',
    'stats.loading': 'Đang tải số liệu thống kê…',
    'stats.summary': '{label}: từ {first} đến {last}, hạn báo cáo {due}; tính từ {events} sự kiện đã lưu trữ.',
    'stats.rates': 'Tỷ lệ so với chỉ tiêu',
    'stats.ratesDesc': 'Mỗi thanh là một tỷ lệ từ 0 đến 100%; đường nét đứt đánh dấu chỉ tiêu.',
    'stats.counts': 'Số liệu trong kỳ',
    'stats.byAgency': 'Chuyển tuyến đến từng cơ quan',
    'stats.byAgencyDesc': 'Số chuyển tuyến đã gửi (thanh trên) và đã chấp nhận (thanh dưới) đến từng cơ quan.',
    'stats.met': 'đạt chỉ tiêu',
    'stats.missed': 'không đạt chỉ tiêu',
    'stats.noCohort': 'không có gì để đo',
    'stats.rateLine': '{name}: {rate} ({numerator} trên {denominator}); chỉ tiêu {target}; {verdict}',
    'rate.tipsClassified': 'Tin báo đã phân loại',
    'rate.tipsResolved': 'Tin báo đã giải quyết',
    'rate.victimsVerified': 'Nạn nhân đã được xác minh',
    'rate.victimsProtected': 'Nạn nhân được bảo vệ',
    'rate.victimsSupported': 'Nạn nhân được hỗ trợ',
    'count.tipsReceived': 'Tin báo tiếp nhận',
    'count.victimsReceived': 'Người được tiếp nhận',
    'count.victimsIdentified': 'Nạn nhân được xác định',
    'count.referralsIssued': 'Chuyển tuyến đã gửi',
    'count.referralsAccepted': 'Chuyển tuyến được chấp nhận',
    'count.referralsDeclined': 'Chuyển tuyến bị từ chối',
    'count.referralsOverdue': 'Chuyển tuyến quá hạn',
    'count.medianAcceptance': 'Thời gian chấp nhận (trung vị)',
    'count.returns': 'Tiếp nhận từ nước ngoài (lượt bàn giao)',
    'count.returnedPersons': 'Người được trao trả',
    'legend.issued': 'đã gửi',
    'legend.accepted': 'đã chấp nhận',
    'error.generic': 'Yêu cầu thất bại ({status}): {detail}',
    'error.network': 'Dịch vụ kiểm toán không phản hồi: {detail}',
  },
};

const AGENCY_NAMES = {
  en: { intake: 'Intake', identification: 'Identification', rescue: 'Rescue', protection: 'Protection', reintegration: 'Reintegration', audit: 'Audit', liaison: 'Liaison' },
  vi: { intake: 'Tiếp nhận', identification: 'Xác minh', rescue: 'Giải cứu', protection: 'Bảo vệ', reintegration: 'Tái hòa nhập', audit: 'Kiểm toán', liaison: 'Liên lạc' },
};

/** What the page shows, kept so that switching language re-renders it all. */
const state = {
  language: 'en',
  token: null,
  history: null,
  integrity: { state: 'idle' },
  statistics: null,
  /** The message under each form, as a function of the language so that it follows a switch. */
  messages: {},
};

const $ = (id) => document.getElementById(id);

/** Shows (or, with null, clears) the message of a form; `text` is called again on a language switch. */
function say(id, text, isError = false) {
  state.messages[id] = text ? { text, isError } : null;
  renderMessage(id);
}

function renderMessage(id) {
  const message = state.messages[id];
  const node = $(id);
  node.textContent = message ? message.text() : '';
  node.classList.toggle('error', Boolean(message?.isError));
}

function t(key, values = {}) {
  const text = MESSAGES[state.language][key] ?? MESSAGES.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

const agencyName = (agency) => AGENCY_NAMES[state.language][agency] ?? agency;
const shortType = (type) => type.split('.').pop();
const formatTime = (iso) =>
  new Intl.DateTimeFormat(state.language === 'vi' ? 'vi-VN' : 'en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(iso));
const formatPercent = (value) => (value === null ? '—' : new Intl.NumberFormat(state.language === 'vi' ? 'vi-VN' : 'en-GB', { style: 'percent', maximumFractionDigits: 1 }).format(value));

/** An element with attributes and children; text children are text nodes, never parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined && value !== null) node.setAttribute(name, String(value));
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// ---- Talking to the audit service -------------------------------------------------------------

class ApiError extends Error {
  constructor(status, detail) {
    super(`${status}: ${detail}`);
    this.status = status;
    this.detail = detail;
  }
}

async function api(path, { token = state.token } = {}) {
  let response;
  try {
    response = await fetch(new URL(path, API_BASE), { headers: token ? { authorization: `Bearer ${token}`, accept: 'application/json' } : { accept: 'application/json' }, cache: 'no-store' });
  } catch (error) {
    throw new ApiError(0, error.message);
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem.detail ?? problem.title ?? response.statusText);
  }
  return response.json();
}

function describeError(error) {
  if (!(error instanceof ApiError)) return t('error.network', { detail: error.message });
  if (error.status === 0) return t('error.network', { detail: error.detail });
  return t('error.generic', { status: error.status, detail: error.detail });
}

/** A 401 or 403 on a data call means the session is over: back to the login form, saying why. */
function endSessionIfRefused(error) {
  if (!(error instanceof ApiError) || (error.status !== 401 && error.status !== 403)) return false;
  logout(() => t(error.status === 401 ? 'login.expired' : 'login.403'));
  return true;
}

// ---- Verifying in the browser: RFC 9162 inclusion proofs and the signed tree head -------------

const bytesOfBase64 = (text) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
const bytesOfBase64Url = (text) => bytesOfBase64(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
const textOfBase64Url = (text) => new TextDecoder().decode(bytesOfBase64Url(text));
const sameBytes = (a, b) => a.length === b.length && a.every((byte, index) => byte === b[index]);

async function sha256(...parts) {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const input = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    input.set(part, offset);
    offset += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', input));
}

const leafHash = (entry) => sha256(Uint8Array.of(0), new TextEncoder().encode(entry));
const nodeHash = (left, right) => sha256(Uint8Array.of(1), left, right);

/** RFC 9162 §2.1.3.2, as services/audit/src/merkle/merkle-proofs.ts has it. */
async function verifyInclusion(leaf, index, size, path, root) {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameBytes(r, root);
}

/**
 * Checks the head's compact JWS against the published key set: EdDSA by the key it names, typed as
 * a tree head, over the canonical JSON (RFC 8785) of the four fields served beside it. Returns
 * 'verified', 'unavailable' (no Ed25519 here), or throws an Error whose message is a reason key.
 */
async function verifyTreeHead(head, jwks) {
  const [header64, payload64, signature64] = head.signature.split('.');
  if (!header64 || !payload64 || !signature64) throw new Error('reason.headType');
  const header = JSON.parse(textOfBase64Url(header64));
  if (header.alg !== 'EdDSA' || header.typ !== TREE_HEAD_TYPE || header.kid !== head.logId) throw new Error('reason.headType');
  // Keys sorted as RFC 8785 sorts them; the values are plain strings and an integer.
  const canonical = JSON.stringify({ logId: head.logId, rootHash: head.rootHash, timestamp: head.timestamp, treeSize: head.treeSize });
  if (textOfBase64Url(payload64) !== canonical) throw new Error('reason.headFields');
  const jwk = (jwks.keys ?? []).find((key) => key.kid === header.kid);
  if (!jwk || jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new Error('reason.noKey');
  let key;
  try {
    key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unavailable';
  }
  const signed = new TextEncoder().encode(`${header64}.${payload64}`);
  if (!(await crypto.subtle.verify({ name: 'Ed25519' }, key, bytesOfBase64Url(signature64), signed))) throw new Error('reason.signature');
  return 'verified';
}

/** One event's proof against the head: returns null when it holds, or the reason key and values. */
async function checkEventProof(event, head, root) {
  const query = new URLSearchParams({ eventId: event.id, treeSize: String(head.treeSize) });
  let proof;
  try {
    proof = await api(`log/proofs/inclusion?${query}`);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) throw error;
    return { reason: 'reason.fetch', values: { status: error.status ?? '?' } };
  }
  if (proof.treeSize !== head.treeSize) return { reason: 'reason.treeSize' };
  let envelopeId;
  try {
    envelopeId = JSON.parse(proof.envelope).id;
  } catch {
    envelopeId = undefined;
  }
  if (proof.eventId !== event.id || envelopeId !== event.id) return { reason: 'reason.envelopeId' };
  const leaf = await leafHash(proof.envelope);
  if (!sameBytes(leaf, bytesOfBase64(proof.leafHash))) return { reason: 'reason.leafHash' };
  const ok = await verifyInclusion(leaf, proof.leafIndex, proof.treeSize, proof.auditPath.map(bytesOfBase64), root);
  return ok ? null : { reason: 'reason.path' };
}

async function verifyCase(history) {
  const events = history.events;
  const run = { caseId: history.caseId };
  state.integrity = { state: 'checking', events: events.length, run };
  renderIntegrity();
  const finish = (result) => {
    if (state.integrity.run !== run) return; // another case was opened meanwhile
    state.integrity = { ...result, events: events.length, run };
    renderIntegrity();
  };
  try {
    const [head, jwks] = await Promise.all([api('log/tree-head', { token: null }), api('.well-known/jwks.json', { token: null })]);
    let signature;
    try {
      signature = await verifyTreeHead(head, jwks);
    } catch (error) {
      return finish({ state: 'failed', head: true, reason: error.message.startsWith('reason.') ? error.message : 'reason.headType' });
    }
    const root = bytesOfBase64(head.rootHash);
    const queue = [...events];
    let failure = null;
    const worker = async () => {
      while (queue.length > 0 && failure === null) {
        const event = queue.shift();
        const problem = await checkEventProof(event, head, root);
        if (problem && failure === null) failure = { eventId: event.id, ...problem };
      }
    };
    await Promise.all(Array.from({ length: Math.min(PROOF_CONCURRENCY, events.length) }, worker));
    if (failure) return finish({ state: 'failed', ...failure, head: false });
    finish({ state: signature === 'verified' ? 'verified' : 'unsigned', treeSize: head.treeSize, kid: head.logId, timestamp: head.timestamp });
  } catch (error) {
    if (endSessionIfRefused(error)) return;
    finish({ state: 'failed', head: true, reason: 'reason.fetch', values: { status: error.status ?? error.message } });
  }
}

// ---- Rendering --------------------------------------------------------------------------------

function renderStaticTexts() {
  document.documentElement.lang = state.language;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  document.title = t('title');
  const toggle = $('language-toggle');
  toggle.textContent = t('switchTo');
  toggle.lang = state.language === 'en' ? 'vi' : 'en';
  toggle.setAttribute('aria-label', t('switchLabel'));
}

function renderIntegrity() {
  const badge = $('badge');
  const integrity = state.integrity;
  badge.dataset.state = integrity.state;
  const text = badge.querySelector('.badge-text');
  const note = $('signature-note');
  note.textContent = '';
  switch (integrity.state) {
    case 'idle':
      text.textContent = '';
      break;
    case 'checking':
      text.textContent = t('integrity.checking', { events: integrity.events });
      break;
    case 'verified':
      text.textContent = t('integrity.verified', { events: integrity.events, treeSize: integrity.treeSize });
      note.textContent = t('integrity.signatureOk', { kid: integrity.kid, timestamp: formatTime(integrity.timestamp) });
      break;
    case 'unsigned':
      text.textContent = t('integrity.unsigned', { events: integrity.events, treeSize: integrity.treeSize });
      note.textContent = t('integrity.signatureUnavailable');
      break;
    case 'failed':
      text.textContent = integrity.head
        ? t('integrity.failedHead', { reason: t(integrity.reason, integrity.values) })
        : t('integrity.failed', { eventId: integrity.eventId, reason: t(integrity.reason, integrity.values) });
      break;
    default:
      text.textContent = '';
  }
}

/** Lanes by agency in order of first appearance; each event one column right of its cause and of its lane's previous event. */
function layoutChain(events, edges) {
  const lanes = [];
  for (const event of events) if (!lanes.includes(event.agency)) lanes.push(event.agency);
  const causeOf = new Map(edges.map(({ from, to }) => [to, from]));
  const column = new Map();
  const lastInLane = new Map();
  for (const event of events) {
    const cause = causeOf.get(event.id);
    const afterCause = cause !== undefined && column.has(cause) ? column.get(cause) + 1 : 0;
    const afterLane = lastInLane.has(event.agency) ? lastInLane.get(event.agency) + 1 : 0;
    const at = Math.max(afterCause, afterLane);
    column.set(event.id, at);
    lastInLane.set(event.agency, at);
  }
  return { lanes, column };
}

function renderGraph(history) {
  const container = $('graph');
  for (const old of container.querySelectorAll('svg')) old.remove();
  const byId = new Map(history.events.map((event) => [event.id, event]));
  // Laid out in the history's causal order (every cause before its effects), whatever order the graph lists them in.
  const place = new Map(history.events.map((event, index) => [event.id, index]));
  const nodes = history.graph.nodes.filter((node) => byId.has(node.id)).sort((a, b) => place.get(a.id) - place.get(b.id));
  const edges = history.graph.edges.filter(({ from, to }) => byId.has(from) && byId.has(to));
  const { lanes, column } = layoutChain(nodes, edges);
  const laneHeight = 64;
  const columnWidth = 136;
  const labelWidth = 120;
  const nodeWidth = 112;
  const nodeHeight = 36;
  const columns = Math.max(0, ...column.values()) + 1;
  const width = labelWidth + columns * columnWidth + 16;
  const height = lanes.length * laneHeight + 4;
  const centre = (id) => {
    const node = byId.get(id);
    return { x: labelWidth + column.get(id) * columnWidth + nodeWidth / 2, y: lanes.indexOf(node.agency) * laneHeight + laneHeight / 2 };
  };

  const titleId = 'graph-title';
  const descId = 'graph-desc';
  const root = svg('svg', { role: 'img', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-labelledby': `${titleId} ${descId}`, 'data-nodes': nodes.length });
  root.append(
    svg('title', { id: titleId }, t('graph.title', { caseId: history.caseId })),
    svg('desc', { id: descId }, t('graph.desc', { nodes: nodes.length, lanes: lanes.length, edges: edges.length })),
    svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { class: 'arrow-head', d: 'M0,0 L10,5 L0,10 z' }))),
  );
  lanes.forEach((agency, index) => {
    root.append(
      svg('rect', { class: `lane-band${index % 2 ? ' odd' : ''}`, x: 0, y: index * laneHeight, width, height: laneHeight }),
      svg('text', { class: 'lane-label', x: 8, y: index * laneHeight + laneHeight / 2 + 4 }, agencyName(agency)),
    );
  });
  // Arrows run orthogonally where no box can be: along the boundary between lanes, then down (or
  // up) the gap before the effect's column, then into the effect's left side.
  const gap = (columnWidth - nodeWidth) / 2;
  const route = (from, to) => {
    const a = centre(from);
    const b = centre(to);
    const entryX = b.x - nodeWidth / 2;
    if (a.y === b.y && column.get(to) === column.get(from) + 1) return `M${a.x + nodeWidth / 2},${a.y} L${entryX},${b.y}`;
    const down = b.y >= a.y;
    const startY = a.y + (down ? nodeHeight / 2 : -nodeHeight / 2);
    const busY = a.y + (down ? laneHeight / 2 : -laneHeight / 2);
    return `M${a.x},${startY} L${a.x},${busY} L${entryX - gap},${busY} L${entryX - gap},${b.y} L${entryX},${b.y}`;
  };
  for (const { from, to } of edges) root.append(svg('path', { class: 'edge', d: route(from, to), 'marker-end': 'url(#arrow)' }));
  for (const node of nodes) {
    const { x, y } = centre(node.id);
    const type = shortType(node.type);
    const label = type.length > 17 ? `${type.slice(0, 16)}…` : type;
    root.append(
      svg(
        'g',
        { class: `node${/Referral/.test(type) ? ' referral' : ''}`, 'data-event-id': node.id },
        svg('title', {}, `${agencyName(node.agency)}: ${type} (${formatTime(node.recordedAt)})`),
        svg('rect', { x: x - nodeWidth / 2, y: y - nodeHeight / 2, width: nodeWidth, height: nodeHeight, rx: 6 }),
        svg('text', { x: x - nodeWidth / 2 + 6, y: y + 4 }, label),
      ),
    );
  }
  container.append(root);

  const list = $('chain-list');
  list.replaceChildren(
    ...history.events.map((event) => {
      const cause = event.causationId ? byId.get(event.causationId) : undefined;
      const values = { agency: agencyName(event.agency), type: shortType(event.type), time: formatTime(event.recordedAt) };
      return el('li', {}, cause ? t('graph.itemCause', { ...values, cause: `${agencyName(cause.agency)}: ${shortType(cause.type)}` }) : t('graph.item', values));
    }),
  );
}

const isSealed = (value) => value !== null && typeof value === 'object' && value.sealed === 'nrm.v1';

/** The payload for reading: sealed envelopes become the word "sealed" — the console never opens them. */
function dataSummary(data) {
  const cell = el('td', { class: 'data' });
  const entries = Object.entries(data ?? {});
  entries.forEach(([name, value], index) => {
    if (index > 0) cell.append(el('br'));
    cell.append(`${name}: `);
    if (isSealed(value)) cell.append(el('span', { class: 'sealed' }, `🔒 ${t('sealed')}`));
    else cell.append(JSON.stringify(value, (key, inner) => (isSealed(inner) ? `[${t('sealed')}]` : inner)));
  });
  return cell;
}

function renderTimeline(history) {
  const byId = new Map(history.events.map((event) => [event.id, event]));
  $('timeline-caption').textContent = t('timeline.caption');
  $('timeline').tBodies[0].replaceChildren(
    ...history.events.map((event) => {
      const cause = event.causationId ? byId.get(event.causationId) : undefined;
      const causeText = cause ? `${agencyName(cause.agency)}: ${shortType(cause.type)}` : event.causationId ? event.causationId : t('timeline.request');
      return el(
        'tr',
        { 'data-event-id': event.id },
        el('td', {}, el('time', { datetime: event.recordedAt }, formatTime(event.recordedAt))),
        el('td', {}, agencyName(event.agency)),
        el('th', { scope: 'row' }, shortType(event.type)),
        el('td', {}, el('code', {}, event.actor)),
        el('td', {}, causeText),
        dataSummary(event.data),
      );
    }),
  );
}

function renderCase() {
  const history = state.history;
  $('case-result').hidden = !history;
  if (!history) return;
  $('case-heading').textContent = t('case.title', { caseId: history.caseId });
  renderGraph(history);
  renderTimeline(history);
  renderIntegrity();
}

function rateChart(rates) {
  const rowHeight = 34;
  const labelWidth = 190;
  const barWidth = 150;
  const width = labelWidth + barWidth + 130;
  const height = rates.length * rowHeight + 8;
  const root = svg('svg', { class: 'rate-chart', role: 'img', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-labelledby': 'rates-title rates-desc' });
  root.append(svg('title', { id: 'rates-title' }, t('stats.rates')), svg('desc', { id: 'rates-desc' }, t('stats.ratesDesc')));
  rates.forEach(({ name, rate }, index) => {
    const y = index * rowHeight + 6;
    const value = rate.rate ?? 0;
    const verdict = rate.met === null ? t('stats.noCohort') : rate.met ? t('stats.met') : t('stats.missed');
    const icon = rate.met === null ? '–' : rate.met ? '✔' : '✖';
    root.append(
      svg(
        'g',
        { class: 'rate' },
        svg('title', {}, `${name}: ${verdict}`),
        svg('text', { x: 0, y: y + 15 }, name),
        svg('rect', { class: 'bar-track', x: labelWidth, y, width: barWidth, height: 20 }),
        svg('rect', { class: `bar ${rate.met === false ? 'missed' : 'met'}`, x: labelWidth, y, width: barWidth * value, height: 20 }),
        svg('line', { class: 'target', x1: labelWidth + barWidth * rate.target, x2: labelWidth + barWidth * rate.target, y1: y - 3, y2: y + 23 }),
        svg('text', { x: labelWidth + barWidth + 8, y: y + 15 }, `${icon} ${formatPercent(rate.rate)} / ${formatPercent(rate.target)}`),
      ),
    );
  });
  return root;
}

function agencyChart(byAgency) {
  const agencies = Object.keys(byAgency);
  const max = Math.max(1, ...agencies.map((agency) => byAgency[agency].issued));
  const rowHeight = 34;
  const labelWidth = 140;
  const barWidth = 260;
  const width = labelWidth + barWidth + 60;
  const height = agencies.length * rowHeight + 8;
  const root = svg('svg', { class: 'agency-chart', role: 'img', width, height, viewBox: `0 0 ${width} ${height}`, 'aria-labelledby': 'agency-title agency-desc' });
  root.append(svg('title', { id: 'agency-title' }, t('stats.byAgency')), svg('desc', { id: 'agency-desc' }, t('stats.byAgencyDesc')));
  agencies.forEach((agency, index) => {
    const { issued, accepted } = byAgency[agency];
    const y = index * rowHeight + 4;
    root.append(
      svg('text', { x: 0, y: y + 16 }, agencyName(agency)),
      svg('rect', { class: 'bar issued', x: labelWidth, y, width: (barWidth * issued) / max, height: 12 }),
      svg('rect', { class: 'bar accepted', x: labelWidth, y: y + 13, width: (barWidth * accepted) / max, height: 12 }),
      svg('text', { x: labelWidth + barWidth + 8, y: y + 16 }, `${issued} / ${accepted}`),
    );
  });
  return root;
}

function renderStatistics() {
  const container = $('stats');
  const report = state.statistics;
  if (!report) return container.replaceChildren();
  const { total, period } = report;
  const rates = [
    { name: t('rate.tipsClassified'), rate: total.tips.classifiedRate },
    { name: t('rate.tipsResolved'), rate: total.tips.resolvedRate },
    { name: t('rate.victimsVerified'), rate: total.victims.verifiedRate },
    { name: t('rate.victimsProtected'), rate: total.victims.protectedRate },
    { name: t('rate.victimsSupported'), rate: total.victims.supportedRate },
  ];
  const median = total.referrals.total.medianSecondsToAcceptance;
  const counts = [
    ['count.tipsReceived', total.tips.received],
    ['count.victimsReceived', total.victims.received],
    ['count.victimsIdentified', total.victims.identified],
    ['count.referralsIssued', total.referrals.total.issued],
    ['count.referralsAccepted', total.referrals.total.accepted],
    ['count.referralsDeclined', total.referrals.total.declined],
    ['count.referralsOverdue', total.referrals.total.overdue],
    ['count.medianAcceptance', median === null ? '—' : `${Math.round(median)} s`],
    ['count.returns', total.returns.handovers],
    ['count.returnedPersons', total.returns.persons],
  ];
  container.replaceChildren(
    el('p', {}, t('stats.summary', { label: period.label, first: period.firstDay, last: period.lastDay, due: period.due, events: report.events })),
    el(
      'div',
      { class: 'stats-grid' },
      el(
        'div',
        {},
        el('h3', {}, t('stats.rates')),
        rateChart(rates),
        el('ul', { class: 'visually-hidden' }, ...rates.map(({ name, rate }) => el('li', {}, t('stats.rateLine', { name, rate: formatPercent(rate.rate), numerator: rate.numerator, denominator: rate.denominator, target: formatPercent(rate.target), verdict: rate.met === null ? t('stats.noCohort') : rate.met ? t('stats.met') : t('stats.missed') })))),
      ),
      el('div', {}, el('h3', {}, t('stats.counts')), el('dl', { class: 'figure-list' }, ...counts.flatMap(([key, value]) => [el('dt', {}, t(key)), el('dd', {}, String(value))]))),
      el(
        'div',
        {},
        el('h3', {}, t('stats.byAgency')),
        agencyChart(total.referrals.byAgency),
        el('p', { class: 'legend' }, `${t('legend.issued')} / ${t('legend.accepted')}`),
        el('ul', { class: 'visually-hidden' }, ...Object.entries(total.referrals.byAgency).map(([agency, figures]) => el('li', {}, `${agencyName(agency)}: ${figures.issued} ${t('legend.issued')}, ${figures.accepted} ${t('legend.accepted')}`))),
      ),
    ),
  );
}

function renderAll() {
  renderStaticTexts();
  for (const id of Object.keys(state.messages)) renderMessage(id);
  renderCase();
  renderStatistics();
}

// ---- Actions ----------------------------------------------------------------------------------

/** The reporting period holding today in Viet Nam: periods close on the 14th of their last month. */
function currentPeriod() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date()).map(({ type, value }) => [type, Number(value)]));
  let { year, month } = parts;
  if (parts.day >= 15) month += 1;
  if (month > 12) {
    month = 1;
    year += 1;
  }
  return `${year}-Q${Math.ceil(month / 3)}`;
}

async function loadStatistics(period, token = state.token) {
  say('stats-message', () => t('stats.loading'));
  const report = await api(`statistics?${new URLSearchParams({ period, format: 'json' })}`, { token });
  state.statistics = report;
  say('stats-message', null);
  renderStatistics();
}

function showLoggedIn(loggedIn) {
  $('login-section').hidden = loggedIn;
  $('case-section').hidden = !loggedIn;
  $('stats-section').hidden = !loggedIn;
  $('logout').hidden = !loggedIn;
}

function logout(reason = null) {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.history = null;
  state.statistics = null;
  state.integrity = { state: 'idle' };
  for (const id of Object.keys(state.messages)) state.messages[id] = null;
  showLoggedIn(false);
  renderAll();
  say('login-error', reason);
  $('token-input').focus();
}

/** Logging in is one auditor call (the current statistics): it proves the token and fills the panel. */
async function login(token) {
  if (!token) {
    say('login-error', () => t('login.empty'), true);
    return;
  }
  say('login-error', () => t('login.checking'));
  $('period-input').value ||= currentPeriod();
  try {
    await loadStatistics($('period-input').value, token);
  } catch (failure) {
    if (failure instanceof ApiError && (failure.status === 401 || failure.status === 403)) say('login-error', () => t(failure.status === 401 ? 'login.401' : 'login.403'), true);
    else say('login-error', () => describeError(failure), true);
    return;
  }
  say('login-error', null);
  state.token = token;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token-input').value = '';
  showLoggedIn(true);
  $('case-input').focus();
}

async function openCase(caseId) {
  if (!ULID.test(caseId)) {
    say('case-message', () => t('case.invalid'), true);
    return;
  }
  say('case-message', () => t('case.loading'));
  let history;
  try {
    history = await api(`cases/${encodeURIComponent(caseId)}`);
  } catch (error) {
    if (endSessionIfRefused(error)) return;
    state.history = null;
    renderCase();
    say('case-message', () => (error instanceof ApiError && error.status === 404 ? t('case.notFound') : describeError(error)), true);
    return;
  }
  state.history = history;
  const agencies = new Set(history.events.map((event) => event.agency)).size;
  say('case-message', () => t('case.found', { caseId: history.caseId, events: history.events.length, agencies }));
  renderCase();
  await verifyCase(history);
}

function start() {
  const stored = sessionStorage.getItem(LANGUAGE_KEY);
  state.language = stored === 'vi' || stored === 'en' ? stored : (navigator.language ?? '').toLowerCase().startsWith('vi') ? 'vi' : 'en';
  renderStaticTexts();

  $('language-toggle').addEventListener('click', () => {
    state.language = state.language === 'en' ? 'vi' : 'en';
    sessionStorage.setItem(LANGUAGE_KEY, state.language);
    renderAll();
  });
  $('logout').addEventListener('click', () => logout());
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    login($('token-input').value.trim().replace(/^Bearer\s+/i, ''));
  });
  $('case-form').addEventListener('submit', (event) => {
    event.preventDefault();
    openCase($('case-input').value.trim().toUpperCase());
  });
  $('stats-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const period = $('period-input').value.trim().toUpperCase();
    if (!PERIOD.test(period)) {
      say('stats-message', () => t('stats.invalid'), true);
      return;
    }
    loadStatistics(period).catch((error) => {
      if (!endSessionIfRefused(error)) say('stats-message', () => describeError(error), true);
    });
  });

  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) login(token);
  else showLoggedIn(false);
}

start();
