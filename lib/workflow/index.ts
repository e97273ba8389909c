export * from "./roles";
export * from "./fields";
export * from "./stages";
export * from "./permissions";
export * from "./rules";
export * from "./transitions";
export * from "./display";
export * from "./next-step";
