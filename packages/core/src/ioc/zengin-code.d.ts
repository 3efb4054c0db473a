declare module 'zengin-code' {
  export interface ZenginBranch {
    code: string;
    name: string;
    kana: string;
  }
  export interface ZenginBank {
    code: string;
    name: string;
    kana: string;
    branches: Record<string, ZenginBranch>;
  }
  const data: Record<string, ZenginBank>;
  export default data;
}
