/* Buurtbasis: runs in <head>, before the page is drawn. It only marks that JavaScript runs, so
   buttons that are needed only without JavaScript (filters that htmx submits on change) can hide
   without a flash. Everything works without this file. */
document.documentElement.classList.add("js");
