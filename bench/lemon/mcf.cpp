// Concord benchmark driver: solves a min-cost flow problem in DIMACS format with LEMON's network
// simplex and prints the objective and the solve time. Written for Concord's allocation benchmark.
#include <lemon/smart_graph.h>
#include <lemon/network_simplex.h>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

using namespace lemon;
typedef long long ll;

int main() {
  std::ios::sync_with_stdio(false);
  SmartDigraph g;
  SmartDigraph::NodeMap<ll> supply(g);
  SmartDigraph::ArcMap<ll> cap(g), cost(g);
  std::vector<SmartDigraph::Node> nodes;
  std::string tag;
  ll n = 0, m = 0;
  auto parseStart = std::chrono::steady_clock::now();
  while (std::cin >> tag) {
    if (tag == "c") { std::string line; std::getline(std::cin, line); }
    else if (tag == "p") {
      std::string kind; std::cin >> kind >> n >> m;
      g.reserveNode(n); g.reserveArc(m);
      nodes.resize(n);
      for (ll i = 0; i < n; i++) nodes[i] = g.addNode();
      for (ll i = 0; i < n; i++) supply[nodes[i]] = 0;
    } else if (tag == "n") { ll id, b; std::cin >> id >> b; supply[nodes[id - 1]] = b; }
    else if (tag == "a") {
      ll u, v, lo, hi, c; std::cin >> u >> v >> lo >> hi >> c;
      SmartDigraph::Arc a = g.addArc(nodes[u - 1], nodes[v - 1]);
      cap[a] = hi; cost[a] = c;
    }
  }
  auto start = std::chrono::steady_clock::now();
  NetworkSimplex<SmartDigraph, ll, ll> ns(g);
  ns.upperMap(cap).costMap(cost).supplyMap(supply);
  NetworkSimplex<SmartDigraph, ll, ll>::ProblemType result = ns.run();
  auto end = std::chrono::steady_clock::now();
  if (result != NetworkSimplex<SmartDigraph, ll, ll>::OPTIMAL) { std::cout << "{\"status\":\"not-optimal\"}" << std::endl; return 1; }
  double ms = std::chrono::duration<double, std::milli>(end - start).count();
  double parseMs = std::chrono::duration<double, std::milli>(start - parseStart).count();
  std::cout << "{\"status\":\"optimal\",\"cost\":" << ns.totalCost<ll>() << ",\"solveMs\":" << ms << ",\"parseMs\":" << parseMs << "}" << std::endl;
  return 0;
}
