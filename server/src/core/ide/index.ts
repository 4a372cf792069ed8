// The ide layer's public functions (see types.ts). Each feature lives in its own module.
export {};
