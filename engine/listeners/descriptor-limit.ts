/**
 * Moved to engine/observe/descriptor-limit.ts (the HTTP path in l7/, below listeners/, reports descriptor
 * exhaustion too). This re-export keeps the existing imports of listeners/ and runtime/ working; new code
 * imports from observe/.
 */
export { DESCRIPTOR_LOG_WINDOW_MS, DescriptorLimitLog, descriptorLimitLog, isDescriptorExhaustion, reportDescriptorExhaustion } from "../observe/descriptor-limit";
