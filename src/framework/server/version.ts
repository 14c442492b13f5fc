/** /version: the Kubernetes version this server speaks, as kube-apiserver reports it. */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** The API level served; kubectl warns when its minor version is more than one away. */
export function defaultVersionInfo(): VersionInfo {
  return {
    major: '1',
    minor: '33',
    gitVersion: 'v1.33.0-apiserver-kit',
    gitCommit: '',
    gitTreeState: 'clean',
    buildDate: '',
    goVersion: `node${process.versions.node}`,
    compiler: 'tsc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
