// The three robots' request formats and signatures, checked against a local HTTP receiver and against
// signatures computed independently (Python's hmac, as the vendors' documentation shows it).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dingTalkSign, feishuSign, maskWebhookUrl, postWebhook, sendWithRetries, truncateUtf8, WebhookError, webhookRequest } from './webhooks.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const SECRET = 'SECtest0123456789abcdef';

let receiver: WebhookReceiver;
beforeEach(async () => {
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('signatures', () => {
  it('DingTalk: HMAC-SHA256 keyed by the secret over "timestamp\\nsecret", base64, URL-encoded', () => {
    // python3: quote_plus(b64encode(hmac.new(secret, f"{ts}\n{secret}", sha256).digest()))
    expect(dingTalkSign(SECRET, 1714800000123)).toBe('dAlh%2FNuQnpPPqKZOrcmuAYtGi7jUP%2FTIoUyuJktM3fo%3D');
  });

  it('Feishu: HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing, base64, timestamp in seconds', () => {
    // python3: b64encode(hmac.new(f"{ts}\n{secret}", b"", sha256).digest())
    expect(feishuSign(SECRET, 1714800000)).toBe('z4u1oKNVMa8mwnxaQo3hCnNrUvca7CckEs2fOGSjm5M=');
  });
});

describe('request bodies, as each robot receives them', () => {
  it('WeCom: {"msgtype":"text","text":{"content":…}} to the address as given', async () => {
    await postWebhook({ kind: 'wecom', url: `${receiver.base}/cgi-bin/webhook/send?key=abc-123` }, 'Zone 3 high: 281 °C');
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.path).toBe('/cgi-bin/webhook/send');
    expect(request!.query.get('key')).toBe('abc-123');
    expect(request!.body).toEqual({ msgtype: 'text', text: { content: 'Zone 3 high: 281 °C' } });
  });

  it('DingTalk: the same body; with a secret, timestamp (ms) and sign in the query', async () => {
    const now = 1714800000123;
    await postWebhook({ kind: 'dingtalk', url: `${receiver.base}/robot/send?access_token=tok`, secret: SECRET }, '料筒三段温度过高', { now });
    const [request] = receiver.requests;
    expect(request!.body).toEqual({ msgtype: 'text', text: { content: '料筒三段温度过高' } });
    expect(request!.query.get('access_token')).toBe('tok');
    expect(request!.query.get('timestamp')).toBe(String(now));
    // URLSearchParams decodes the URL-encoding: what DingTalk checks is the base64 digest.
    expect(request!.query.get('sign')).toBe(decodeURIComponent(dingTalkSign(SECRET, now)));
    expect(request!.query.get('sign')).toBe('dAlh/NuQnpPPqKZOrcmuAYtGi7jUP/TIoUyuJktM3fo=');

    await postWebhook({ kind: 'dingtalk', url: `${receiver.base}/robot/send?access_token=tok` }, 'unsigned');
    expect(receiver.requests[1]!.query.has('sign')).toBe(false);
  });

  it('Feishu: {"msg_type":"text","content":{"text":…}}; with a secret, timestamp (s) and sign in the body', async () => {
    const now = 1714800000999;
    await postWebhook({ kind: 'feishu', url: `${receiver.base}/open-apis/bot/v2/hook/0123456789abcdef0123`, secret: SECRET }, 'Zone 3 high', { now });
    const [request] = receiver.requests;
    expect(request!.path).toBe('/open-apis/bot/v2/hook/0123456789abcdef0123');
    expect(request!.body).toEqual({
      timestamp: '1714800000',
      sign: 'z4u1oKNVMa8mwnxaQo3hCnNrUvca7CckEs2fOGSjm5M=',
      msg_type: 'text',
      content: { text: 'Zone 3 high' },
    });
    await postWebhook({ kind: 'feishu', url: `${receiver.base}/open-apis/bot/v2/hook/x` }, 'unsigned');
    expect(receiver.requests[1]!.body).toEqual({ msg_type: 'text', content: { text: 'unsigned' } });
  });

  it('keeps a WeCom text within its 2048-byte limit, cut on a character boundary', () => {
    const long = '料'.repeat(1000); // 3000 bytes of UTF-8
    const { body } = webhookRequest({ kind: 'wecom', url: 'http://127.0.0.1/' }, long);
    const content = (JSON.parse(body) as { text: { content: string } }).text.content;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(2048);
    expect(content.endsWith('…')).toBe(true);
    expect(truncateUtf8('short', 100)).toBe('short');
  });
});

describe('delivery', () => {
  it('treats a robot\'s own error code as a failure, and an HTTP error too, naming what the robot said', async () => {
    receiver.answers.push({ status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } });
    await expect(postWebhook({ kind: 'wecom', url: `${receiver.base}/send?key=x` }, 'x')).rejects.toMatchObject({ message: '93000 invalid webhook url' });
    receiver.answers.push({ status: 200, body: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' } });
    await expect(postWebhook({ kind: 'feishu', url: `${receiver.base}/hook/x` }, 'x')).rejects.toBeInstanceOf(WebhookError);
    receiver.answers.push({ status: 404, body: {} });
    await expect(postWebhook({ kind: 'wecom', url: `${receiver.base}/send?key=x` }, 'x')).rejects.toMatchObject({ status: 404, retryable: false });
  });

  it('retries with growing waits until the robot takes it', async () => {
    receiver.answers.push({ status: 500, body: {} }, { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } });
    const attempts: number[] = [];
    await sendWithRetries({ kind: 'wecom', url: `${receiver.base}/send?key=x` }, 'hello', { retries: 3, baseDelayMs: 40 }, (_error, attempt) => attempts.push(attempt));
    expect(attempts).toEqual([1, 2]);
    expect(receiver.requests).toHaveLength(3);
    const [first, second, third] = receiver.requests.map((request) => request.receivedAt);
    expect(second! - first!).toBeGreaterThanOrEqual(35);
    expect(third! - second!).toBeGreaterThanOrEqual(75); // doubled
  });

  it('gives up after its retries, and at once on a refusal that another try cannot fix', async () => {
    for (let index = 0; index < 5; index++) receiver.answers.push({ status: 503, body: {} });
    await expect(sendWithRetries({ kind: 'wecom', url: `${receiver.base}/send?key=x` }, 'x', { retries: 2, baseDelayMs: 5 })).rejects.toMatchObject({ status: 503 });
    expect(receiver.requests).toHaveLength(3);
    receiver.requests.length = 0;
    receiver.answers.length = 0;
    receiver.answers.push({ status: 400, body: {} });
    await expect(sendWithRetries({ kind: 'wecom', url: `${receiver.base}/send?key=x` }, 'x', { retries: 2, baseDelayMs: 5 })).rejects.toMatchObject({ status: 400 });
    expect(receiver.requests).toHaveLength(1);
  });

  it('says so when nothing answers, without the address', async () => {
    await receiver.close();
    const error = await postWebhook({ kind: 'wecom', url: `${receiver.base}/send?key=very-secret-key` }, 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebhookError);
    expect((error as WebhookError).message).not.toContain('very-secret-key');
    expect((error as WebhookError).retryable).toBe(true);
    receiver = await startWebhookReceiver();
  });
});

describe('maskWebhookUrl', () => {
  it('shortens tokens in the query and a long last path segment', () => {
    expect(maskWebhookUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=73febdcb-1b38-4d1b-a994-790f21fc8d30')).toBe(
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=73fe…',
    );
    expect(maskWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=98975521a1b23c02')).toBe('https://oapi.dingtalk.com/robot/send?access_token=9897…');
    expect(maskWebhookUrl('https://open.feishu.cn/open-apis/bot/v2/hook/0123456789abcdef0123')).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/0123…');
  });
});
