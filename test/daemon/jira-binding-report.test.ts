// What the start says when the server behind the configured URL is not the one the map was made with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverChangeRecord } from '../../source/daemon/jira-binding-report.js';

const known = JSON.stringify({ deploymentType: 'Server', version: '9.12.0', baseUrl: 'https://jira.example.com' });

test('another deployment type or base URL behind the same address is reported; an upgrade is not', () => {
  const jira = 'https://jira.example.com';
  assert.equal(serverChangeRecord(known, { deploymentType: 'Server', version: '9.17.1', baseUrl: 'https://jira.example.com/' }, jira), null);
  assert.equal(serverChangeRecord(undefined, { deploymentType: 'Cloud', version: '1001.0', baseUrl: 'https://acme.atlassian.net' }, jira), null, 'nothing known yet');
  const moved = serverChangeRecord(known, { deploymentType: 'Cloud', version: '1001.0', baseUrl: 'https://acme.atlassian.net\u001b[2J' }, jira);
  assert.equal(moved?.event, 'jira-server-changed');
  assert.equal(moved?.level, 'warning');
  assert.match(String(moved?.message), /now says it is Cloud at https:\/\/acme\.atlassian\.net\?\[2J; its map was made when it said Server at https:\/\/jira\.example\.com/);
  assert.equal(String(moved?.message).includes('\u001b'), false, 'Jira\'s words are shown without control characters');
});
