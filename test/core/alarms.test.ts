// The alarms' pure rules: the state an alarm settles in, a ticket's status read from Jira's
// answer, and the Get Eligible Ticket JQL filled in (quoted) and checked when configured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eligibleJql, parseAlarmState, settledState, ticketStatusOf, unknownPlaceholder, DEFAULT_ELIGIBLE_JQL } from '../../source/core/alarms.js';
import { parseConfig } from '../../source/core/config.js';

test('an alarm settles failed after a failure, resolved when Jira said done, else open', () => {
  assert.equal(settledState('failed', true), 'failed');
  assert.equal(settledState('ok', true), 'resolved');
  assert.equal(settledState('ok', false), 'open');
  assert.equal(settledState('ok', null), 'open');
  assert.equal(parseAlarmState(' Resolved '), 'resolved');
  assert.equal(parseAlarmState('closed'), null);
});

test('a ticket status is read from what Jira answers, defensively', () => {
  assert.deepEqual(ticketStatusOf({ status: { name: 'Done', statusCategory: { key: 'done' } } }), { name: 'Done', resolved: true });
  assert.deepEqual(ticketStatusOf({ status: { name: 'Closed' }, resolution: { name: 'Fixed' } }), { name: 'Closed', resolved: true });
  assert.deepEqual(ticketStatusOf({ status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } }), { name: 'In Progress', resolved: false });
  assert.equal(ticketStatusOf({ status: 'Done' }), null);
  assert.equal(ticketStatusOf({}), null);
});

test('the eligible-ticket JQL: {project} and {guid} filled, quoted unless plain words; an unknown placeholder refused in the config', () => {
  assert.equal(eligibleJql(DEFAULT_ELIGIBLE_JQL, { project: 'OPS', guid: 'g-1' }), 'project = OPS AND resolution = Unresolved ORDER BY updated DESC');
  assert.equal(eligibleJql('labels = "x" AND text ~ {guid} AND project = {project}', { project: 'My "Ops"', guid: 'g-1' }),
    'labels = "x" AND text ~ "g-1" AND project = "My \\"Ops\\""');
  assert.equal(eligibleJql('project = {project}', { project: null, guid: 'g' }), 'project = ""');
  assert.equal(unknownPlaceholder('project = {project} AND x = {nope}'), '{nope}');
  assert.equal(unknownPlaceholder(DEFAULT_ELIGIBLE_JQL), null);
  assert.equal(parseConfig({}).alarms.eligibleJql, DEFAULT_ELIGIBLE_JQL);
  assert.equal(parseConfig({}).alarms.maxEntries, 10_000);
  assert.throws(() => parseConfig({ alarms: { eligibleJql: 'project = {projet}' } }), /error in alarms\.eligibleJql: unknown placeholder/);
  assert.throws(() => parseConfig({ alarms: { maxEntries: 0 } }), /error in alarms\.maxEntries/);
});
