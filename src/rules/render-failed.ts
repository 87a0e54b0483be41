import { systemRule } from '../rule.js';

/** Engine-produced: helm template or kustomize build failed, so the chart or overlay was not checked. */
export const rule = systemRule({
  id: 'render-failed',
  title: 'Helm chart or kustomization failed to render',
  level: 'error',
  securitySeverity: 7.0,
  precision: 'very-high',
  description:
    "helm template or kustomize build failed on a chart or kustomize root (the tool's own error is quoted), so nothing it deploys was checked.",
  why: "A chart that does not render would also fail to deploy, and a scanner that skips it reports a clean result for code it never saw. podguard reports the failure in the tool's words instead of a silent zero.",
  fix: 'Run the same command locally and fix what it reports, e.g.:\n\n```sh\nhelm template release charts/web --values charts/web/values-prod.yaml\nkustomize build overlays/prod\n```\n\nValues files and the release name come from `render.charts` in `.podguard.yml`.',
  tags: ['correctness'],
  kinds: ['kubernetes'],
  messages: {
    failed: '{tool} failed, so nothing this renders was checked: {error}',
    linkOutside:
      'This {what} holds a symbolic link to a place outside the repository, which podguard does not let helm read: it was not rendered.',
    valuesFile: 'The values file {file} named in render.charts is missing or outside the repository: the chart was not rendered.',
  },
});
