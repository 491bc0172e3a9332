/*
 * The invoice ids of the list the user last looked at, in its order, so review can go to the
 * next or previous one with ] and [. Reset when a tenant's screens mount.
 */
let ids: string[] = [];
let from = "/";

export function setNavList(next: string[], href: string) {
  ids = next;
  from = href;
}

export function navList() {
  return { ids, from };
}
