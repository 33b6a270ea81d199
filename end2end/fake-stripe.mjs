// A fake Stripe for the browser tests: its own origin (a port of its own on 127.0.0.1), reached over
// real HTTP by Participa's server (the API) and by the browser (the hosted checkout page).
// It speaks the part of Stripe's API Participa uses: Checkout Sessions, refunds, subscriptions,
// and sends Stripe-signed webhooks (`Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")`).
// Usage: node fake-stripe.mjs PORT APP_BASE_URL WEBHOOK_SECRET
import http from 'node:http';
import crypto from 'node:crypto';

const [port, app, secret] = process.argv.slice(2);
if (!port || !app || !secret) {
  console.error('usage: node fake-stripe.mjs PORT APP_BASE_URL WEBHOOK_SECRET');
  process.exit(2);
}
const origin = `http://127.0.0.1:${port}`;
const sessions = new Map();
let seq = 0;

function read(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
      if (body.length > 1e6) reject(new Error('too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

async function webhook(event) {
  const body = JSON.stringify(event);
  const t = Math.floor(Date.now() / 1000);
  const sig = crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const r = await fetch(`${app}/webhooks/stripe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${sig}` },
        body,
      });
      if (r.ok) return true;
      console.error(`webhook ${event.type}: ${r.status}`);
      if (r.status === 400) return false;
    } catch (e) {
      console.error(`webhook ${event.type}: ${e}`);
    }
    await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
  }
  return false;
}

function page(s) {
  const amount = (s.amount / 100).toFixed(2).replace('.', ',');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fake Stripe Checkout</title><link rel="icon" href="data:,"></head><body>
<main><h1>Fake Stripe Checkout</h1>
<p id="amount">${esc(amount)} ${esc(s.currency.toUpperCase())}${s.mode === 'subscription' ? ' / month' : ''}</p>
<p id="product">${esc(s.product)}</p>
<form method="post" action="/pay/${esc(s.id)}"><button type="submit" name="action" value="pay" id="pay">Pay</button>
<button type="submit" name="action" value="cancel" id="cancel">Cancel</button></form></main></body></html>`;
}

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, origin);
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      if (!(req.headers.authorization ?? '').startsWith('Bearer sk_')) return json(res, 401, { error: { message: 'no key' } });
      const f = new URLSearchParams(await read(req));
      const key = req.headers['idempotency-key'];
      const existing = [...sessions.values()].find((s) => key && s.key === key);
      if (existing) return json(res, 200, { id: existing.id, url: `${origin}/pay/${existing.id}` });
      const id = `cs_fake_${++seq}`;
      sessions.set(id, {
        id,
        key,
        mode: f.get('mode'),
        amount: Number(f.get('line_items[0][price_data][unit_amount]')),
        currency: f.get('line_items[0][price_data][currency]') ?? 'ron',
        product: f.get('line_items[0][price_data][product_data][name]') ?? '',
        donation: f.get('metadata[donation_id]'),
        success: f.get('success_url'),
        cancel: f.get('cancel_url'),
      });
      return json(res, 200, { id, url: `${origin}/pay/${id}` });
    }
    if (req.method === 'POST' && url.pathname === '/v1/refunds') return json(res, 200, { id: `re_fake_${++seq}` });
    if (url.pathname.startsWith('/v1/subscriptions/')) return json(res, 200, { id: url.pathname.split('/').pop() });
    const m = url.pathname.match(/^\/pay\/(cs_fake_\d+)$/);
    const s = m && sessions.get(m[1]);
    if (m && !s) {
      res.writeHead(404);
      return res.end('no such session');
    }
    if (s && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(page(s));
    }
    if (s && req.method === 'POST') {
      const action = new URLSearchParams(await read(req)).get('action');
      if (action === 'pay' && !s.paid) {
        s.paid = true;
        const sub = s.mode === 'subscription' ? `sub_fake_${s.id}` : null;
        await webhook({
          id: `evt_fake_${++seq}`,
          type: 'checkout.session.completed',
          data: { object: { id: s.id, amount_total: s.amount, currency: s.currency, payment_status: 'paid',
            metadata: { donation_id: s.donation }, payment_intent: sub ? null : `pi_fake_${s.id}`, subscription: sub } },
        });
      }
      res.writeHead(303, { location: action === 'pay' ? s.success : s.cancel });
      return res.end();
    }
    if (url.pathname === '/health') return json(res, 200, { ok: true });
    res.writeHead(404);
    res.end('not found');
  } catch (e) {
    console.error(e);
    json(res, 500, { error: { message: String(e) } });
  }
});
server.listen(Number(port), '127.0.0.1', () => console.log(`fake Stripe on ${origin}`));
