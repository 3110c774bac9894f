/**
 * Orders two operator versions semver-style: the release part (before `-`) is compared dot by dot,
 * numerically where both parts are numbers (`1.10.0` > `1.9.0`), numbers before words, and a
 * missing part first (`1.0` < `1.0.1`); with equal releases a pre-release is lower (`2.0.0-rc.1` <
 * `2.0.0`) and pre-releases compare the same way. Build metadata (`+…`) is ignored. Returns <0, 0 or >0.
 */
export function compareVersions(a: string, b: string): number {
  const [releaseA, preA] = splitVersion(a);
  const [releaseB, preB] = splitVersion(b);
  const byRelease = compareDotted(releaseA, releaseB);
  if (byRelease !== 0) return byRelease;
  if (preA === undefined || preB === undefined) return preA === preB ? 0 : preA === undefined ? 1 : -1;
  return compareDotted(preA, preB);
}

function splitVersion(version: string): [string, string | undefined] {
  const withoutBuild = version.split("+", 1)[0] ?? "";
  const dash = withoutBuild.indexOf("-");
  return dash < 0 ? [withoutBuild, undefined] : [withoutBuild.slice(0, dash), withoutBuild.slice(dash + 1)];
}

function compareDotted(a: string, b: string): number {
  const partsA = a.split(".");
  const partsB = b.split(".");
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i++) {
    const x = partsA[i];
    const y = partsB[i];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    const order = comparePart(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

const NUMERIC = /^\d+$/;

function comparePart(x: string, y: string): number {
  const numericX = NUMERIC.test(x);
  const numericY = NUMERIC.test(y);
  if (numericX && numericY) {
    const diff = BigInt(x) - BigInt(y);
    return diff === 0n ? 0 : diff < 0n ? -1 : 1;
  }
  if (numericX !== numericY) return numericX ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
