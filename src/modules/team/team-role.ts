export enum TeamRole {
  MEMBER = 'MEMBER',
  LEAD = 'LEAD',
}
