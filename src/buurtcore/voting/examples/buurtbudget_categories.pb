META
key;value
description;Buurtbudget Lindehof
country;Netherlands
unit;Voorbeeldstad
district;Lindehof
instance;2025
num_projects;9
num_votes;40
budget;30000
vote_type;approval
rule;greedy
date_begin;01.03.2025
date_end;21.03.2025
categories;Groen,Jeugd,Ontmoeting
budget_per_category;12000,10000,8000
leftover_budget;Fund additional projects that fit within leftover budget ordered by score
language;nl
currency;EUR
comment;#1: Verzonnen voorbeeld van Buurtbasis (geen echte gegevens). Invented example, no real data.
PROJECTS
project_id;cost;votes;name;category
201;9000;33;Bloembakken op de Lindehofbrug;Groen
202;6000;30;Vlindertuin achter de flat;Groen
203;4000;22;Boomspiegels beplanten;Groen
204;8000;29;Skatebaan voor tieners;Jeugd
205;5000;13;Voorleesmiddag in de bibliotheek;Jeugd
206;3000;8;Zomerkamp in de wijk;Jeugd
207;7000;22;Buurtmaaltijd elke maand;Ontmoeting
208;2500;17;Ruilkast bij de supermarkt;Ontmoeting
209;4500;15;Repaircafé met gereedschap;Ontmoeting
VOTES
voter_id;vote
L01;201,202,204,207,209
L02;201,202,203,204,206,207
L03;201,202,204,206,207,208
L04;202,204,207,208,209
L05;201,202,203,204,206,209
L06;201,202,205,207
L07;201,202,203,204,208
L08;201,202,203,208
L09;201,204,207,209
L10;201,202,204,205,208
L11;201,205,207
L12;201,202,203,204,207,208
L13;201,202,204,208
L14;201,204,206,208,209
L15;201,202,203,204,205,206,207,208,209
L16;203,204,205,207
L17;201,202,203,204,205,206,208,209
L18;202,203,204,205
L19;201,202,203,207,208
L20;206,207,208,209
L21;201,202,203,204
L22;201,202,203,204,205
L23;201,203,204,209
L24;201,202,209
L25;201,202,205
L26;201,202,203
L27;202,203,204,205,207,209
L28;202,203,204
L29;201,202,203,204,205,207
L30;201,202,204,206,208,209
L31;201,202
L32;201,202,204,209
L33;201,204,205,207,208,209
L34;201,204,207
L35;201,203,204,207
L36;201,202,203,205,207,208
L37;201,202,203,207,208,209
L38;201,202,203,204,207,208
L39;201,203,204,207
L40;202,204,207
