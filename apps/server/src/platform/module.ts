import type { FastifyPluginAsync } from 'fastify';
import type { Rule } from './auth/policy.ts';
import type { Platform } from './context.ts';

/** A domain module: its policy rules and its routes (registered under `/api/<prefix>`). */
export interface RenkeiModule {
  name: string;
  prefix: string;
  rules?: Record<string, Rule>;
  routes: FastifyPluginAsync<{ platform: Platform }>;
}
