import { Body, Controller, Module, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import request from 'supertest';
import { fixture, OK, postCallback } from './utils/callbacks.js';
import { createTestApp, type TestApp } from './utils/test-app.js';

@Controller('crm')
class CrmController {
  @Post('notes')
  addNote(@Body() body: unknown, @Req() req: FastifyRequest): { received: unknown; ip: string } {
    return { received: body, ip: req.ip };
  }
}

@Module({ controllers: [CrmController] })
class CrmModule {}

describe('your own routes beside the webhook (Nest on Fastify)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ imports: [CrmModule] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('get their JSON bodies parsed, and Fastify\'s request through @Req()', async () => {
    const answer = await request(t.server).post('/crm/notes').set('Content-Type', 'application/json').send({ text: 'hello', tags: ['a'] });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ received: { text: 'hello', tags: ['a'] }, ip: '127.0.0.1' });
  });

  it.each([
    ['malformed JSON', '{bad'],
    ['an empty JSON body', ''],
    ['JSON with a __proto__ key', '{"__proto__":{"admin":true}}'],
  ])('answer %s with 400 in the envelope', async (_case, body) => {
    const answer = await request(t.server).post('/crm/notes').set('Content-Type', 'application/json').send(body);

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ ActionStatus: 'FAIL', ErrorCode: 1, ErrorInfo: expect.stringMatching(/JSON|empty/) as string });
  });

  it('leave the webhook reading its own bytes', async () => {
    expect((await postCallback(t, fixture('c2c-after-send-msg'))).body).toEqual(OK);
  });
});
