META
key;value
description;Buurtbudget Kerkebuurt
country;Netherlands
unit;Voorbeeldstad
district;Kerkebuurt
instance;2025
num_projects;7
num_votes;36
budget;20000
vote_type;ordinal
rule;greedy
date_begin;01.03.2025
date_end;21.03.2025
min_length;3
max_length;3
language;nl
currency;EUR
comment;#1: Verzonnen voorbeeld van Buurtbasis (geen echte gegevens). Invented example, no real data.
PROJECTS
project_id;cost;votes;score;name
K1;10000;18;41;Dorpsplein bij de kerk vergroenen
K2;5000;17;33;Wandelroute met bankjes
K3;8000;18;36;Speelbos achter de school
K4;3000;16;34;Buurtbus naar de markt
K5;6500;14;27;Opknappen van het clubhuis
K6;4000;14;23;Kunst in de bushokjes
K7;2500;11;22;Cursus EHBO voor buurtbewoners
VOTES
voter_id;vote;points
k01;K1,K4,K3;3,2,1
k02;K4,K3,K1;3,2,1
k03;K1,K6,K3;3,2,1
k04;K1,K7,K3;3,2,1
k05;K5,K3,K4;3,2,1
k06;K1,K5,K6;3,2,1
k07;K3,K5,K4;3,2,1
k08;K1,K5,K4;3,2,1
k09;K2,K1,K6;3,2,1
k10;K3,K5,K6;3,2,1
k11;K4,K7,K2;3,2,1
k12;K5,K2,K7;3,2,1
k13;K6,K1,K2;3,2,1
k14;K1,K7,K3;3,2,1
k15;K4,K2,K3;3,2,1
k16;K2,K3,K5;3,2,1
k17;K3,K7,K4;3,2,1
k18;K7,K5,K6;3,2,1
k19;K4,K1,K6;3,2,1
k20;K7,K5,K3;3,2,1
k21;K4,K1,K6;3,2,1
k22;K3,K1,K2;3,2,1
k23;K6,K7,K1;3,2,1
k24;K5,K2,K1;3,2,1
k25;K2,K5,K6;3,2,1
k26;K1,K4,K2;3,2,1
k27;K4,K2,K6;3,2,1
k28;K7,K3,K6;3,2,1
k29;K2,K1,K5;3,2,1
k30;K1,K2,K4;3,2,1
k31;K4,K1,K2;3,2,1
k32;K6,K2,K7;3,2,1
k33;K6,K2,K3;3,2,1
k34;K3,K4,K5;3,2,1
k35;K3,K4,K7;3,2,1
k36;K3,K2,K5;3,2,1
