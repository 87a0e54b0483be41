/** GitHub Action entry (`dist/action.js`): thin, everything lives in platform/github. */
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { runAction } from '../platform/github.js';
import type { ListPullFiles } from '../platform/github.js';

const listPullFiles: ListPullFiles = async ({ token, owner, repo, pullNumber }) => {
  const octokit = getOctokit(token);
  // The endpoint stops at 3000 files; the caller compares with the PR's changed_files.
  return octokit.paginate(octokit.rest.pulls.listFiles, { owner, repo, pull_number: pullNumber, per_page: 100 });
};

process.exitCode = await runAction({ core, env: process.env, listPullFiles });
