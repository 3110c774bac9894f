// A processor that breaks the contract: it emits outputs/a.txt twice after canonicalization, so
// its attempt fails with ERR_OUTPUT_DUPLICATE and the error envelope carries that code.
import { definePipeline } from "runledger";
import { duplicateOutputs, processorOperator } from "./processors.mjs";

const broken = processorOperator({
  id: "broken.duplicate",
  version: "1.0.0",
  real: duplicateOutputs,
  mock: duplicateOutputs,
  outputs: ["outputs/a.txt"],
  checks: [{ nonEmpty: "outputs/a.txt" }],
});

export default definePipeline({ name: "broken-processor", tasks: { broken: { operator: broken } } });
