/** The pipeline `runledger init` writes into a new workspace. */
export const EXAMPLE_PIPELINE = `# An example command pipeline: run it with \`runledger run pipelines/hello.yaml\`.
pipeline: hello
mode: PIPELINE
tasks:
  numbers:
    run: ["sh", "-c", "seq 1 100 > outputs/numbers.txt"]
    outputs: [outputs/numbers.txt]
    checks: [{ nonEmpty: outputs/numbers.txt }]
    timeout: 30s
  total:
    needs: [numbers]
    critical: true
    retries: 2
    run: ["sh", "-c", "awk '{s+=$1} END {print s}' inputs/numbers/numbers.txt > outputs/total.txt"]
    outputs: [outputs/total.txt]
    checks: [{ nonEmpty: outputs/total.txt }]
`;
