import { systemRule } from '../rule.js';

/** Engine-produced: a Helm chart or kustomize root that could not be rendered, so its output was not checked. */
export const rule = systemRule({
  id: 'not-rendered',
  title: 'Helm chart or kustomization not rendered',
  level: 'warning',
  securitySeverity: 4.0,
  precision: 'very-high',
  description:
    'A Helm chart or kustomize root was not rendered (no helm or kustomize, a remote base or chart that podguard does not fetch), so what it deploys was not checked.',
  why: 'Templates are not manifests until they are rendered: a chart whose values set `privileged: true` looks harmless as text. podguard says when it could not render instead of passing the chart silently. Set `render.mode: required` to make this an error that fails the gate.',
  fix: 'Install helm and kustomize where podguard runs (GitHub-hosted runners and Microsoft-hosted agents have helm; elsewhere use the `HelmInstaller@1` task or `go install`), or name them in `.podguard.yml`. Vendor remote bases and chart dependencies into the repository:\n\n```yaml\n# .podguard.yml\nrender:\n  mode: required\n  helm: /usr/local/bin/helm\n  kustomize: /usr/local/bin/kustomize\n```',
  tags: ['correctness'],
  kinds: ['kubernetes'],
  messages: {
    noTool: 'This {what} was not rendered: {tool} was not found {looked}. Nothing it deploys was checked.',
    remote:
      'This kustomization names a remote base or resource, which podguard does not fetch: the kustomization was not rendered and what it deploys was not checked.',
    outside: 'This kustomization names a path outside the repository, which podguard does not follow: the kustomization was not rendered.',
    helmCharts: 'This kustomization inflates helmCharts, which podguard renders only with render.enableHelm: true: it was not rendered.',
    remoteChart:
      'This chart depends on a chart from a repository that is not vendored under charts/, which podguard does not download: the chart was not rendered.',
  },
});
