// Writes the generated sources (`npm run generate`): the NetworkPolicy schema's validator.
import { writeFileSync } from 'node:fs';
import { networkPolicyValidatorSource, VALIDATOR_PATH } from './validator-source';

writeFileSync(VALIDATOR_PATH, networkPolicyValidatorSource());
console.log(`wrote ${VALIDATOR_PATH}`);
