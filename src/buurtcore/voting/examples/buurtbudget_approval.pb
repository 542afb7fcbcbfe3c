META
key;value
description;Buurtbudget Rivierwijk
country;Netherlands
unit;Voorbeeldstad
district;Rivierwijk
instance;2025
num_projects;12
num_votes;60
budget;50000
vote_type;approval
rule;greedy
date_begin;01.03.2025
date_end;21.03.2025
min_length;1
max_length;4
language;nl
currency;EUR
comment;#1: Verzonnen voorbeeld van Buurtbasis (geen echte gegevens). Invented example, no real data.
PROJECTS
project_id;cost;votes;name;category;neighborhood
101;18000;31;Speeltuin Rivierpark vernieuwen;Jeugd;Noord
102;12500;31;Moestuin bij de Regenboogschool;Groen;Noord
103;9000;22;Bankjes en schaduwbomen langs de Vliet;Groen;Noord
104;7500;25;Buurtkamer ook open op zondag;Ontmoeting;Noord
105;14000;12;Trapveldje Noord opknappen;Jeugd;Noord
106;8000;18;Taalcafé voor nieuwkomers;Ontmoeting;Zuid
107;11000;18;Geveltuinen in de Havenstraat;Groen;Zuid
108;6000;9;Huiswerkklas in het wijkcentrum;Jeugd;Zuid
109;4500;12;Zwerfvuilploeg met prikkers en hesjes;Schoon;Zuid
110;3000;20;AED aan de gevel van het wijkcentrum;Veiligheid;Zuid
111;16000;10;Muurschildering in de onderdoorgang;Kunst;Zuid
112;2500;11;Kerstmarkt op het Marktplein;Ontmoeting;Noord
VOTES
voter_id;vote;age;neighborhood
v001;102,103,105,110;81;Noord
v002;101,105,111,112;20;Noord
v003;101,102,104;25;Noord
v004;101,102,112;62;Noord
v005;101,102,104,107;59;Noord
v006;102,103,105,112;41;Noord
v007;104,105;39;Noord
v008;101,102,103,104;57;Noord
v009;101,102,104;48;Noord
v010;102,104,105,107;54;Noord
v011;101,102,103,112;84;Noord
v012;101,103,107;28;Noord
v013;103,104,110;30;Noord
v014;101,102,104,108;58;Noord
v015;101,102,104,110;34;Noord
v016;101,102,110,112;54;Noord
v017;101,102,104,109;42;Noord
v018;101,103,104;54;Noord
v019;101,102;59;Noord
v020;101,102,104,105;29;Noord
v021;102,103,110,111;59;Noord
v022;101,102,103,110;28;Noord
v023;101,103,105,110;32;Noord
v024;101,102,103,111;47;Noord
v025;101,102;43;Noord
v026;101,103,104,109;27;Noord
v027;101,102,103,105;28;Noord
v028;102,104,105;48;Noord
v029;102,103,106,109;67;Noord
v030;101,102,104;80;Noord
v031;101,102,103,104;23;Noord
v032;101,102,104;64;Noord
v033;101,102,103,104;37;Noord
v034;101,103,105,110;17;Noord
v035;101,102,104,108;71;Noord
v036;101,103,112;69;Noord
v037;102,103,109,112;34;Zuid
v038;101,107,110,111;71;Zuid
v039;104,106,109,110;84;Zuid
v040;108,109,111,112;69;Zuid
v041;104,106,107,111;63;Zuid
v042;101,106,109,110;48;Zuid
v043;106,108,109;20;Zuid
v044;107,109,111,112;43;Zuid
v045;103,105,106,110;40;Zuid
v046;103,108,110,111;69;Zuid
v047;106,107,110;73;Zuid
v048;101,106,107,108;33;Zuid
v049;102,103,109,110;19;Zuid
v050;104,106,107,112;45;Zuid
v051;106,107,110;24;Zuid
v052;102,108,109,110;51;Zuid
v053;104,106,107,111;51;Zuid
v054;102,106,107;27;Zuid
v055;106,107,109,112;67;Zuid
v056;104,106,107,108;60;Zuid
v057;106,107,108,110;67;Zuid
v058;105,106,107,110;51;Zuid
v059;104,106,107,111;58;Zuid
v060;106,107,110;23;Zuid
