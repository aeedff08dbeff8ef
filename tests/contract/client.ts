// An ordinary client of the Trellis API, typed by openapi-typescript from GET /api/v1/openapi.json
// (tests/contract compiles it with tsc --strict, then runs it against a server).
import createClient from 'openapi-fetch';
import type { paths } from './schema.js';

// node's process, without @types/node
declare const process: { env: Record<string, string | undefined> };

const client = createClient<paths>({
  baseUrl: process.env.TRELLIS_URL,
  headers: { Authorization: `Bearer ${process.env.TRELLIS_TOKEN}` },
});

const people = await client.GET('/api/v1/people', { params: { query: { limit: 10, status: 'active' } } });
if (!people.data) throw new Error('people: ' + JSON.stringify(people.error));
const first: string | null | undefined = people.data.items[0]?.name;
const one = await client.GET('/api/v1/people/{id}', { params: { path: { id: people.data.items[0].id } } });
const chain: number = one.data ? one.data.manager_chain.length : -1;

const made = await client.POST('/api/v1/skills', { body: { name: 'Client skill', category: 'Tests' } });
if (!made.data) throw new Error('skill: ' + JSON.stringify(made.error));
const skills = await client.GET('/api/v1/skills');
const skill = skills.data?.items.find((s) => s.id === made.data.id)?.name;

const bad = await client.POST('/api/v1/skills', { body: { name: '', category: 'Tests' } });
const error: string | undefined = bad.error?.error.code;

console.log(JSON.stringify({ people: people.data.items.length, first, chain, skill, error }));
